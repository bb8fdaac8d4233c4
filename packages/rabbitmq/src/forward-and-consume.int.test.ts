import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, EVENT_HEADERS } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { queueDepth, RABBITMQ_URL, useTopologies } from "./rabbitmq-test-kit.fixture.js";

describeEachBackend("forwarding to RabbitMQ and consuming back", (backend) => {
  const topologies = useTopologies();

  it("publishes every event with confirms and headers, and the consumer applies each once in stream order", async () => {
    // The queue exists before the first publish (unroutable messages are refused).
    const topology = await topologies.declare();

    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
    const forwarder = defineForwarder(producerRegistry, {
      name: "to-rabbit",
      handles: ["AccountOpened", "MoneyDeposited"],
      publisher,
      destination: categoryTypeDestination(topology.prefix),
      batchSize: 7,
      maxInFlight: 3,
    });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder], pollMs: 50 });
    const appended = [];
    for (let round = 0; round < 6; round += 1) {
      for (const account of ["a", "b", "c", "d"]) {
        const events =
          round === 0
            ? [{ type: "AccountOpened" as const, data: { owner: `owner-${account}`, email: `${account}@example.org` } }]
            : [{ type: "MoneyDeposited" as const, data: { amount: round, currency: "EUR" } }];
        appended.push(...(await store.append(`account-${account}`, events, { metadata: { correlationId: `c-${account}` } })).events);
      }
    }
    await engine.catchUp("to-rabbit");
    expect((await engine.status("to-rabbit"))[0]).toMatchObject({ state: "live", lagEvents: 0, eventsApplied: appended.length });
    expect(await queueDepth(RABBITMQ_URL, topology.queue)).toBe(appended.length);

    // Peek at the first message without consuming it for good.
    const peek = await connect(RABBITMQ_URL);
    const peekChannel = await peek.createChannel();
    const first = await peekChannel.get(topology.queue, { noAck: false });
    expect(first).not.toBe(false);
    if (first !== false) {
      expect(first.fields.routingKey).toBe(`${topology.prefix}.account.AccountOpened`);
      expect(first.properties.messageId).toBe(appended[0]?.id);
      expect(first.properties.deliveryMode).toBe(2);
      expect(String(first.properties.headers?.[EVENT_HEADERS.streamVersion])).toBe("1");
      expect(JSON.parse(first.content.toString())).toEqual({ owner: "owner-a", email: { $erased: true } });
      peekChannel.nack(first, false, true);
    }
    await peek.close();

    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumer = await consumeRabbitMq({
      name: "recorder",
      url: RABBITMQ_URL,
      queue: topology.queue,
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["AccountOpened", "MoneyDeposited"] }),
      batchSize: 5,
    });
    try {
      const query = (text: string) => backend.query(text);
      await expect.poll(async () => (await readReceived(query, readSchema)).length, { timeout: 20_000, interval: 50 }).toBe(appended.length);
      expect(deliveryProblems(appended, await readReceived(query, readSchema))).toEqual([]);
      await expect.poll(() => queueDepth(RABBITMQ_URL, topology.queue), { timeout: 10_000, interval: 50 }).toBe(0);
    } finally {
      await consumer.stop();
      await engine.close();
      await publisher.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  });
});
