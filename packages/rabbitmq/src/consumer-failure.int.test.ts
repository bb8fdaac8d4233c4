/**
 * A message the consumer cannot apply, on the real RabbitMQ: with `onExhausted: "dead-letter"` it
 * is recorded in `inbox_dead_letters` after its attempts, acknowledged, and the queue drains
 * (every other event applied once, in stream order); with `"stop"` the consumer ends with
 * `CONSUMER_STOPPED`, the message goes back to the queue unacknowledged, and a consumer started
 * again (the fault fixed) applies it and the rest, each once. The stop case runs on a connection
 * the caller owns, which the consumer must leave open yet release the queue on. Both store
 * backends.
 */
import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import type { ChannelModel } from "amqplib";
import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { queueDepth, RABBITMQ_URL, useTopologies } from "./rabbitmq-test-kit.fixture.js";

/** The deposit the faulty projection cannot apply. */
const POISON = 13;

describeEachBackend("RabbitMQ consumer failure policy", (backend) => {
  let connection: ChannelModel;
  const topologies = useTopologies();
  const schemas: string[] = [];
  beforeAll(async () => {
    connection = await connect(RABBITMQ_URL);
  });
  afterAll(async () => {
    await connection.close();
    for (const schema of schemas) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  /** Declares a queue bound to a fresh exchange, and forwards two streams of deposits (one of them the poison) to it. */
  const forwardDeposits = async (): Promise<{ readonly queue: string; readonly appended: RecordedEvent[] }> => {
    const topology = await topologies.declare();
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
    const forwarder = defineForwarder(producerRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(topology.prefix) });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder] });
    const appended: RecordedEvent[] = [];
    for (const [streamId, amounts] of [
      ["account-a", [1, 2, 3, 4]],
      ["account-b", [5, POISON, 7, 8]],
    ] as const) {
      for (const amount of amounts) appended.push(...(await store.append(streamId, [{ type: "MoneyDeposited", data: { amount, currency: "EUR" } }])).events);
    }
    await engine.catchUp();
    await engine.close();
    await publisher.close();
    return { queue: topology.queue, appended };
  };

  const consumer = (queue: string, id: string, options: { readonly faulty: boolean; readonly onExhausted: "dead-letter" | "stop"; readonly connection?: ChannelModel }) => {
    const recording = recordingProjection(producerRegistry, { name: "ledger", schema: `rm_${id}`, handles: ["MoneyDeposited"] });
    return consumeRabbitMq({
      name: "ledger",
      ...(options.connection === undefined ? { url: RABBITMQ_URL } : { connection: options.connection }),
      queue,
      assertQueue: false,
      database: backend.database(),
      schema: `inbox_${id}`,
      registry: producerRegistry,
      batchSize: 3,
      projection: {
        ...recording,
        handle: async (events, context) => {
          if (options.faulty && events.some((event) => (event.data as { amount: number }).amount === POISON)) throw new Error("cannot apply");
          await recording.handle(events, context);
        },
      },
      failure: { maxAttempts: 2, backoff: { initialMs: 5, maxMs: 10 }, onExhausted: options.onExhausted },
    });
  };

  it("dead-letters the message it cannot apply, acknowledges it and applies every other event once, in order", async () => {
    const { queue, appended } = await forwardDeposits();
    const id = randomBytes(5).toString("hex");
    schemas.push(`rm_${id}`, `inbox_${id}`);
    const running = await consumer(queue, id, { faulty: true, onExhausted: "dead-letter" });
    const poison = appended.find((event) => (event.data as { amount: number }).amount === POISON);
    try {
      await expect.poll(async () => (await running.inbox.deadLetters()).length, { timeout: 20_000, interval: 50 }).toBe(1);
      await expect.poll(async () => (await readReceived((text) => backend.query(text), `rm_${id}`)).length, { timeout: 20_000, interval: 50 }).toBe(appended.length - 1);
      expect(deliveryProblems(appended.filter((event) => event !== poison), await readReceived((text) => backend.query(text), `rm_${id}`))).toEqual([]);
      expect(await running.inbox.deadLetters()).toEqual([expect.objectContaining({ eventId: poison?.id, eventType: "MoneyDeposited", attempts: 2, error: "Error" })]);
    } finally {
      await running.stop();
    }
    // Acknowledged, the dead-lettered one included: nothing is left in the queue.
    expect(await queueDepth(RABBITMQ_URL, queue)).toBe(0);
  });

  it("stops on it, returns it to the queue, and a fixed consumer applies it and the rest once", async () => {
    const { queue, appended } = await forwardDeposits();
    const id = randomBytes(5).toString("hex");
    schemas.push(`rm_${id}`, `inbox_${id}`);
    const faulty = await consumer(queue, id, { faulty: true, onExhausted: "stop", connection });
    const poison = appended.find((event) => (event.data as { amount: number }).amount === POISON);
    await expect(faulty.done).rejects.toMatchObject({ code: "CONSUMER_STOPPED", eventId: poison?.id });
    expect(await faulty.inbox.deadLetters()).toEqual([]);
    // Not acknowledged: back in the queue (with whatever followed it), ready for the next consumer.
    await expect.poll(() => queueDepth(RABBITMQ_URL, queue), { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(1);

    const fixed = await consumer(queue, id, { faulty: false, onExhausted: "stop", connection });
    try {
      await expect.poll(async () => (await readReceived((text) => backend.query(text), `rm_${id}`)).length, { timeout: 20_000, interval: 50 }).toBe(appended.length);
      expect(deliveryProblems(appended, await readReceived((text) => backend.query(text), `rm_${id}`))).toEqual([]);
    } finally {
      await fixed.stop();
    }
    expect(await queueDepth(RABBITMQ_URL, queue)).toBe(0);
  });
});
