/**
 * The broker restarted mid-stream: a private nats-server (its own port and store) is stopped and
 * started again while events are appended, forwarded and consumed. Every event arrives, each
 * stream in order, and nothing is applied twice.
 */
import { randomBytes } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, isStrataError } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeJetStream } from "./consume-jetstream.js";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { openConnection } from "./nats-test-kit.fixture.js";
import { startPrivateNatsServer } from "./private-nats-server.fixture.js";
import type { PrivateNatsServer } from "./private-nats-server.fixture.js";

describeEachBackend("JetStream restarted mid-stream", (backend) => {
  let server: PrivateNatsServer;
  beforeAll(async () => {
    server = await startPrivateNatsServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("delivers every event once, in stream order, across a broker restart", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const forwardConnection: NatsConnection = await openConnection(server.url);
    const consumeConnection: NatsConnection = await openConnection(server.url);
    const publisher = await createJetStreamPublisher({ connection: forwardConnection, stream: { name: "RESTART", subjects: ["restart.>"] }, ackTimeoutMs: 1_000 });
    const forwarder = defineForwarder(producerRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("restart"), batchSize: 20, maxInFlight: 4 });
    const errors: unknown[] = [];
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: producerRegistry,
      subscriptions: [forwarder],
      pollMs: 50,
      backoff: { initialMs: 50, maxMs: 500 },
      onError: (error) => errors.push(error),
    });
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumer = await consumeJetStream({
      name: "recorder",
      connection: consumeConnection,
      stream: "RESTART",
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["MoneyDeposited"] }),
      batchSize: 16,
    });
    const appended: RecordedEvent[] = [];
    const appendRound = async (round: number): Promise<void> => {
      for (let account = 0; account < 8; account += 1) {
        appended.push(...(await store.append(`account-${account}`, [{ type: "MoneyDeposited", data: { amount: round + 1, currency: "EUR" } }])).events);
      }
    };
    try {
      await engine.start();
      // Appends go on before, during and after the outage, so the restart lands mid-stream.
      let restarted = false;
      const appending = (async () => {
        for (let round = 0, after = 0; after < 15; round += 1) {
          await appendRound(round);
          if (restarted) after += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await expect.poll(() => appended.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(120);
      await server.restart({ downMs: 1_500 });
      restarted = true;
      await appending;
      const query = (text: string) => backend.query(text);
      await expect.poll(async () => (await readReceived(query, readSchema)).length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(appended.length);
      expect(deliveryProblems(appended, await readReceived(query, readSchema))).toEqual([]);
      expect((await engine.status("to-nats"))[0]).toMatchObject({ state: "live", lagEvents: 0 });
      // The forwarder did hit the outage (and retried it without failing), and JetStream's
      // deduplication kept every republished event to one message.
      expect(errors.some((error) => isStrataError(error, "BROKER_UNAVAILABLE"))).toBe(true);
      const manager = await jetstreamManager(forwardConnection);
      expect((await manager.streams.info("RESTART")).state.messages).toBe(appended.length);
    } finally {
      await consumer.stop();
      await engine.close();
      await forwardConnection.close();
      await consumeConnection.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  }, 120_000);
});
