/**
 * The broker restarted mid-stream: a private RabbitMQ node is stopped and started again while
 * events are appended, forwarded and consumed. Every event arrives, each stream in order, and
 * after the inbox's deduplication nothing is applied twice.
 */
import { randomBytes } from "node:crypto";
import { categoryTypeDestination, createProjectionEngine, defineForwarder, isStrataError } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { startPrivateRabbitMqNode } from "./private-rabbitmq-node.fixture.js";
import type { PrivateRabbitMqNode } from "./private-rabbitmq-node.fixture.js";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { queueDepth } from "./rabbitmq-test-kit.fixture.js";

describeEachBackend("RabbitMQ restarted mid-stream", (backend) => {
  let node: PrivateRabbitMqNode;
  beforeAll(async () => {
    node = await startPrivateRabbitMqNode();
  }, 90_000);
  afterAll(async () => {
    await node.stop();
  }, 60_000);

  it("delivers every event once, in stream order, across a broker restart", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const id = randomBytes(4).toString("hex");
    const exchange = `restart-${id}`;
    const queue = `restart-${id}`;
    const readSchema = `rm_${randomBytes(5).toString("hex")}`;
    const inboxSchema = `inbox_${randomBytes(5).toString("hex")}`;
    const consumerErrors: unknown[] = [];
    // The consumer declares the durable queue and its binding before anything is published.
    const consumer = await consumeRabbitMq({
      name: "recorder",
      url: node.url,
      queue,
      bindings: [{ exchange, patterns: ["restart.#"] }],
      database: backend.database(),
      schema: inboxSchema,
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: readSchema, handles: ["MoneyDeposited"] }),
      batchSize: 16,
      onError: (error) => consumerErrors.push(error),
    });
    const query = (text: string) => backend.query(text);
    await expect.poll(() => queueDepth(node.url, queue).catch(() => -1), { timeout: 30_000, interval: 50 }).toBe(0);
    const publisher = createRabbitMqPublisher({ url: node.url, exchange, confirmTimeoutMs: 2_000 });
    const forwarder = defineForwarder(producerRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("restart"), batchSize: 20, maxInFlight: 4 });
    const errors: unknown[] = [];
    const engine = await createProjectionEngine({
      database: backend.database(),
      schema,
      registry: producerRegistry,
      subscriptions: [forwarder],
      pollMs: 50,
      backoff: { initialMs: 50, maxMs: 1_000 },
      onError: (error) => errors.push(error),
    });
    const appended: RecordedEvent[] = [];
    try {
      await engine.start();
      // Appends go on before, during and after the outage, so the restart lands mid-stream.
      let restarted = false;
      const appending = (async () => {
        for (let round = 0, after = 0; after < 15; round += 1) {
          for (let account = 0; account < 8; account += 1) {
            appended.push(...(await store.append(`account-${account}`, [{ type: "MoneyDeposited", data: { amount: round + 1, currency: "EUR" } }])).events);
          }
          if (restarted) after += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await expect.poll(() => appended.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(120);
      await node.restart({ downMs: 1_000 });
      restarted = true;
      await appending;
      await expect.poll(async () => (await readReceived(query, readSchema)).length, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(appended.length);
      await expect.poll(async () => (await engine.status("to-rabbit"))[0]?.lagEvents, { timeout: 30_000, interval: 100 }).toBe(0);
      expect(deliveryProblems(appended, await readReceived(query, readSchema))).toEqual([]);
      expect(errors.some((error) => isStrataError(error, "BROKER_UNAVAILABLE"))).toBe(true);
      expect(consumerErrors.length).toBeGreaterThan(0);
    } finally {
      await consumer.stop();
      await engine.close();
      await publisher.close();
      await backend.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
      await backend.query(`DROP SCHEMA IF EXISTS "${inboxSchema}" CASCADE`);
    }
  }, 180_000);
});
