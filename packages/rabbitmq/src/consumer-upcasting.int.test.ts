/**
 * Consumers read with their own events package: events forwarded by a producer on
 * MoneyDeposited v2 to one exchange, consumed from two queues by a consumer on an older package
 * (v1 only: the v2 body fits its schema, read as v1) into a projection, and one on a newer package
 * (v3: upcast by its own upcaster, from the `strata-schema-version` header's v2) into a plain
 * handler. On the real RabbitMQ and both store backends.
 */
import { randomBytes } from "node:crypto";
import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { readReceived, recordingProjection } from "@strata/runtime/testing";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, expect, it } from "vitest";
import { newerConsumerRegistry, olderConsumerRegistry, producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { deleteTopology, freshTopology, RABBITMQ_URL } from "./rabbitmq-test-kit.fixture.js";

describeEachBackend("RabbitMQ consumers upcasting with their own registry", (backend) => {
  const topologies: { exchange: string; queue: string }[] = [];
  afterAll(() => deleteTopology(RABBITMQ_URL, topologies));

  it("reads v2 messages as v1 in an older consumer and as v3 in a newer one", async () => {
    const topology = freshTopology();
    const id = randomBytes(5).toString("hex");
    const queueOf = (name: string) => `${topology.queue}-${name}`;
    topologies.push({ exchange: topology.exchange, queue: queueOf("older") }, { exchange: topology.exchange, queue: queueOf("newer") });
    // The consumers first: they declare and bind their queues, so no forwarded message is unroutable.
    const where = (name: "older" | "newer") => ({
      name,
      url: RABBITMQ_URL,
      queue: queueOf(name),
      bindings: [{ exchange: topology.exchange, patterns: [`${topology.prefix}.#`] }],
      database: backend.database(),
      schema: `inbox_${name}_${id}`,
    });
    // The older consumer feeds a projection, the newer one a plain handler (no read model of its own).
    const older = await consumeRabbitMq({ ...where("older"), registry: olderConsumerRegistry, projection: recordingProjection(olderConsumerRegistry, { name: "older", schema: `rm_older_${id}`, handles: ["MoneyDeposited"] }) });
    const handled: RecordedEvent[] = [];
    const newer = await consumeRabbitMq({
      ...where("newer"),
      registry: newerConsumerRegistry,
      handler: {
        handles: ["MoneyDeposited"],
        handle: async (events) => {
          handled.push(...events);
        },
      },
    });

    const schema = backend.freshSchema();
    const store = await backend.createStore(producerRegistry, { schema, personalData: "unencrypted" });
    const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
    const forwarder = defineForwarder(producerRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(topology.prefix) });
    const engine = await createProjectionEngine({ database: backend.database(), schema, registry: producerRegistry, subscriptions: [forwarder] });
    await store.append("account-1", [
      { type: "MoneyDeposited", data: { amount: 3, currency: "EUR" } },
      { type: "MoneyDeposited", data: { amount: 4, currency: "USD" } },
    ]);
    await engine.catchUp();

    const received = async (name: "older" | "newer") =>
      (name === "older" ? await readReceived((text) => backend.query(text), `rm_older_${id}`) : handled).map((event) => [event.schemaVersion, event.data]);
    try {
      await expect.poll(() => received("older"), { timeout: 20_000, interval: 50 }).toEqual([
        [1, { amount: 3 }],
        [1, { amount: 4 }],
      ]);
      await expect.poll(() => received("newer"), { timeout: 20_000, interval: 50 }).toEqual([
        [3, { amount: 3, currency: "EUR", channel: "unknown" }],
        [3, { amount: 4, currency: "USD", channel: "unknown" }],
      ]);
    } finally {
      await older.stop();
      await newer.stop();
      await engine.close();
      await publisher.close();
      for (const name of ["older", "newer"]) {
        await backend.query(`DROP SCHEMA IF EXISTS "rm_${name}_${id}" CASCADE`);
        await backend.query(`DROP SCHEMA IF EXISTS "inbox_${name}_${id}" CASCADE`);
      }
    }
  });
});
