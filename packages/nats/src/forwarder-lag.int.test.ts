/**
 * Forwarder lag, in status and in the gauges: while JetStream has no stream for the forwarder's
 * subjects, every publish fails with `BROKER_UNAVAILABLE`, retried without end; the events not
 * confirmed show as `lagEvents` in the engine's status and as `strata.forwarder.lag` (not as a
 * projection's lag). Once the stream exists the forwarder catches up and both fall to 0.
 */
import { randomBytes } from "node:crypto";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, isStrataError } from "@strata/runtime";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { ensureJetStreamStream } from "./jetstream-stream.js";
import { useJetStream } from "./nats-test-kit.fixture.js";
import { gaugeOf, installTestTelemetry } from "@strata/broker-testing/telemetry";
import type { TestTelemetry } from "@strata/broker-testing/telemetry";

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());

describeEachBackend("forwarder lag", (backend) => {
  const jetStream = useJetStream();

  it("reports the unconfirmed events in status and in strata.forwarder.lag until the broker takes them", async () => {
    const stream = jetStream.freshStream();
    const connection = jetStream.connection();
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    // No stream yet: JetStream answers every publish with "no responders".
    const publisher = await createJetStreamPublisher({ connection, ackTimeoutMs: 1_000 });
    const name = `to-nats-${randomBytes(3).toString("hex")}`;
    const forwarder = defineForwarder(producerRegistry, { name, handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(stream.prefix) });
    const errors: unknown[] = [];
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: producerRegistry,
      subscriptions: [forwarder],
      pollMs: 20,
      backoff: { initialMs: 20, maxMs: 100 },
      onError: (error) => errors.push(error),
    });
    try {
      for (let n = 1; n <= 5; n += 1) await store.append(`account-${n}`, [{ type: "MoneyDeposited", data: { amount: n, currency: "EUR" } }]);
      await engine.start();
      await expect.poll(() => errors.filter((error) => isStrataError(error, "BROKER_UNAVAILABLE")).length, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(2);
      const [stalled] = await engine.status(name);
      expect(stalled).toMatchObject({ kind: "subscription", lagEvents: 5, eventsApplied: 0 });
      expect(stalled?.state).not.toBe("failed");
      expect(stalled?.lagSeconds).toBeGreaterThanOrEqual(0);
      const during = await telemetry.collect();
      expect(gaugeOf(during.get("strata.forwarder.lag"), name)).toBe(5);
      expect(gaugeOf(during.get("strata.forwarder.lag.duration"), name)).toBeGreaterThanOrEqual(0);
      expect(gaugeOf(during.get("strata.projection.lag"), name)).toBeUndefined();

      await ensureJetStreamStream(connection, { name: stream.name, subjects: [`${stream.prefix}.>`] });
      await expect.poll(async () => (await engine.status(name))[0]?.lagEvents, { timeout: 20_000, interval: 20 }).toBe(0);
      expect((await engine.status(name))[0]).toMatchObject({ state: "live", eventsApplied: 5 });
      expect(gaugeOf((await telemetry.collect()).get("strata.forwarder.lag"), name)).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
