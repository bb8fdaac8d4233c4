/**
 * A message the consumer cannot apply, on the real JetStream: with `onExhausted: "dead-letter"`
 * it is recorded in `inbox_dead_letters` after its attempts and reading goes on past it (every
 * other event applied once, in stream order); with `"stop"` the consumer ends with
 * `CONSUMER_STOPPED`, its position stays before the message, and a consumer started again (the
 * fault fixed) applies it and the rest, each once. Both store backends.
 */
import { randomBytes } from "node:crypto";
import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeJetStream } from "./consume-jetstream.js";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { useJetStream } from "./nats-test-kit.fixture.js";

/** The deposit the faulty projection cannot apply. */
const POISON = 13;

describeEachBackend("JetStream consumer failure policy", (backend) => {
  const jetStream = useJetStream();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  /** Two streams of deposits, one of them the poison, forwarded to a fresh JetStream stream. */
  const forwardDeposits = async (): Promise<{ readonly stream: string; readonly appended: RecordedEvent[] }> => {
    const stream = jetStream.freshStream();
    const connection = jetStream.connection();
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = await createJetStreamPublisher({ connection, stream: { name: stream.name, subjects: [`${stream.prefix}.>`] } });
    const forwarder = defineForwarder(producerRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(stream.prefix) });
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
    return { stream: stream.name, appended };
  };

  const consumer = (stream: string, id: string, options: { readonly faulty: boolean; readonly onExhausted: "dead-letter" | "stop" }) => {
    const recording = recordingProjection(producerRegistry, { name: "ledger", schema: `rm_${id}`, handles: ["MoneyDeposited"] });
    return consumeJetStream({
      name: "ledger",
      connection: jetStream.connection(),
      stream,
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

  it("dead-letters the message it cannot apply and applies every other event once, in order", async () => {
    const { stream, appended } = await forwardDeposits();
    const id = randomBytes(5).toString("hex");
    schemas.push(`rm_${id}`, `inbox_${id}`);
    const running = await consumer(stream, id, { faulty: true, onExhausted: "dead-letter" });
    try {
      await expect.poll(() => running.inbox.position(stream), { timeout: 20_000, interval: 50 }).toBe(BigInt(appended.length));
      const poison = appended.find((event) => (event.data as { amount: number }).amount === POISON);
      const received = await readReceived((text) => backend.query(text), `rm_${id}`);
      expect(deliveryProblems(appended.filter((event) => event !== poison), received)).toEqual([]);
      expect(await running.inbox.deadLetters()).toEqual([expect.objectContaining({ eventId: poison?.id, eventType: "MoneyDeposited", attempts: 2, error: "Error" })]);
    } finally {
      await running.stop();
    }
  });

  it("stops on it, keeps its position before it, and a fixed consumer applies it and the rest once", async () => {
    const { stream, appended } = await forwardDeposits();
    const id = randomBytes(5).toString("hex");
    schemas.push(`rm_${id}`, `inbox_${id}`);
    const faulty = await consumer(stream, id, { faulty: true, onExhausted: "stop" });
    const poison = appended.find((event) => (event.data as { amount: number }).amount === POISON);
    await expect(faulty.done).rejects.toMatchObject({ code: "CONSUMER_STOPPED", eventId: poison?.id });
    const stoppedAt = (await faulty.inbox.position(stream)) ?? 0n;
    expect(stoppedAt).toBeLessThan(BigInt(appended.indexOf(poison as RecordedEvent) + 1));
    expect(await faulty.inbox.deadLetters()).toEqual([]);

    const fixed = await consumer(stream, id, { faulty: false, onExhausted: "stop" });
    try {
      await expect.poll(() => fixed.inbox.position(stream), { timeout: 20_000, interval: 50 }).toBe(BigInt(appended.length));
      expect(deliveryProblems(appended, await readReceived((text) => backend.query(text), `rm_${id}`))).toEqual([]);
    } finally {
      await fixed.stop();
    }
  });
});
