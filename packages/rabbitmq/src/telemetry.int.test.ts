/**
 * Forwarding and consuming through RabbitMQ, traced: the forwarder's `publish` span (PRODUCER,
 * `messaging.system` rabbitmq) and the consumer's `process` span (CONSUMER) both link to the span
 * of the append that created the event; the message carries that context in its `traceparent`
 * header, and the correlation id in `strata-correlation-id`.
 */
import { randomBytes } from "node:crypto";
import { SpanKind } from "@opentelemetry/api";
import { connect } from "amqplib";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, EVENT_HEADERS, parseTraceparent } from "@strata/runtime";
import { readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { installTestTelemetry } from "@strata/broker-testing/telemetry";
import type { TestTelemetry } from "@strata/broker-testing/telemetry";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { RABBITMQ_URL, useTopologies } from "./rabbitmq-test-kit.fixture.js";

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());

describeEachBackend("RabbitMQ forwarding, traced", (backend) => {
  const topologies = useTopologies();

  it("links the publish and process spans to the append, and carries its traceparent and correlation id", async () => {
    telemetry.reset();
    const topology = await topologies.declare();
    const admin = await connect(RABBITMQ_URL);
    const channel = await admin.createChannel();

    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
    const forwarder = defineForwarder(producerRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(topology.prefix) });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder] });
    const appended = await store.append("account-1", [{ type: "MoneyDeposited", data: { amount: 3, currency: "EUR" } }], { metadata: { correlationId: "request-9" } });
    const traceparent = appended.events[0]?.metadata["traceparent"];
    const appendSpan = telemetry.spans().find((span) => span.name === "strata.append");
    expect(parseTraceparent(traceparent)?.spanId).toBe(appendSpan?.spanContext().spanId);
    await engine.catchUp();

    const publish = telemetry.spans().find((span) => span.name === "publish to-rabbit");
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.operation.type": "send", "messaging.batch.message_count": 1 });
    expect(publish?.links.map((link) => link.context.spanId)).toEqual([appendSpan?.spanContext().spanId]);
    expect(telemetry.spans().find((span) => span.name === "strata.deliver")?.spanContext().spanId).toBe(publish?.parentSpanContext?.spanId);

    // The message as it sits in the queue (put back for the consumer).
    const message = await channel.get(topology.queue, { noAck: false });
    expect(message).not.toBe(false);
    if (message !== false) {
      expect(String(message.properties.headers?.[EVENT_HEADERS.traceparent])).toBe(traceparent);
      expect(String(message.properties.headers?.[EVENT_HEADERS.correlationId])).toBe("request-9");
      channel.nack(message, false, true);
    }
    await admin.close();

    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumer = await consumeRabbitMq({
      name: "recorder",
      url: RABBITMQ_URL,
      queue: topology.queue,
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["MoneyDeposited"] }),
    });
    try {
      await expect.poll(async () => (await readReceived((text) => backend.query(text), readSchema)).length, { timeout: 20_000, interval: 50 }).toBe(1);
      const received = await readReceived((text) => backend.query(text), readSchema);
      expect(received[0]?.metadata).toMatchObject({ traceparent, correlationId: "request-9" });
      const processSpan = telemetry.spans().find((span) => span.name === "process recorder");
      expect(processSpan?.kind).toBe(SpanKind.CONSUMER);
      expect(processSpan?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.destination.name": topology.queue, "messaging.consumer.group.name": "recorder" });
      expect(processSpan?.links.map((link) => link.context.spanId)).toEqual([appendSpan?.spanContext().spanId]);
    } finally {
      await consumer.stop();
      await engine.close();
      await publisher.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  });
});
