/**
 * Forwarding and consuming through JetStream, traced: the forwarder's `publish` span (PRODUCER,
 * `messaging.system` nats) and the consumer's `process` span (CONSUMER) both link to the span of
 * the append that created the event; the message carries that context in `traceparent`.
 */
import { randomBytes } from "node:crypto";
import { SpanKind } from "@opentelemetry/api";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, EVENT_HEADERS, parseTraceparent } from "@strata/runtime";
import { readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeJetStream } from "./consume-jetstream.js";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { useJetStream } from "./nats-test-kit.fixture.js";
import { installTestTelemetry } from "@strata/broker-testing/telemetry";
import type { TestTelemetry } from "@strata/broker-testing/telemetry";

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());

describeEachBackend("JetStream forwarding, traced", (backend) => {
  const jetStream = useJetStream();

  it("links the publish and process spans to the append, and carries its traceparent", async () => {
    telemetry.reset();
    const stream = jetStream.freshStream();
    const connection = jetStream.connection();
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = await createJetStreamPublisher({ connection, stream: { name: stream.name, subjects: [`${stream.prefix}.>`] } });
    const forwarder = defineForwarder(producerRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(stream.prefix) });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder] });
    const appended = await store.append("account-1", [{ type: "MoneyDeposited", data: { amount: 3, currency: "EUR" } }]);
    const traceparent = appended.events[0]?.metadata["traceparent"];
    const appendSpan = telemetry.spans().find((span) => span.name === "strata.append");
    expect(parseTraceparent(traceparent)?.spanId).toBe(appendSpan?.spanContext().spanId);
    await engine.catchUp();

    const publish = telemetry.spans().find((span) => span.name === "publish to-nats");
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.attributes).toMatchObject({ "messaging.system": "nats", "messaging.operation.type": "send", "messaging.batch.message_count": 1 });
    expect(publish?.links.map((link) => link.context.spanId)).toEqual([appendSpan?.spanContext().spanId]);
    expect(telemetry.spans().find((span) => span.name === "strata.deliver")?.spanContext().spanId).toBe(publish?.parentSpanContext?.spanId);

    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumer = await consumeJetStream({
      name: "recorder",
      connection,
      stream: stream.name,
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["MoneyDeposited"] }),
    });
    try {
      await expect.poll(async () => (await readReceived((text) => backend.query(text), readSchema)).length, { timeout: 20_000, interval: 50 }).toBe(1);
      const received = await readReceived((text) => backend.query(text), readSchema);
      expect(received[0]?.metadata["traceparent"]).toBe(traceparent);
      const processSpan = telemetry.spans().find((span) => span.name === "process recorder");
      expect(processSpan?.kind).toBe(SpanKind.CONSUMER);
      expect(processSpan?.attributes).toMatchObject({ "messaging.system": "nats", "messaging.destination.name": stream.name, "messaging.consumer.group.name": "recorder" });
      expect(processSpan?.links.map((link) => link.context.spanId)).toEqual([appendSpan?.spanContext().spanId]);
      expect(EVENT_HEADERS.traceparent).toBe("traceparent");
    } finally {
      await consumer.stop();
      await engine.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  });
});
