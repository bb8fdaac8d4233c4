/**
 * The RabbitMQ part of docs/integration.md's worked example, run in CI exactly as the page shows
 * it (integration.example-doc.unit.test.ts keeps the two in step): the same deposits forwarded to
 * a RabbitMQ exchange with publisher confirms, and the same ledger kept from a queue.
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { categoryTypeDestination, createEventStore, createProjectionEngine, defineForwarder } from "@strata/runtime";
import { expect, it } from "vitest";
import { producerRegistry as bankingRegistry } from "@strata/broker-testing";
import { ledger } from "./ledger-projection.fixture.js";
import { deleteTopology } from "./rabbitmq-test-kit.fixture.js";
// 4. With RabbitMQ, the publisher and the consumer change; the store, the forwarder and the ledger do not.
import { consumeRabbitMq, createRabbitMqPublisher } from "@strata/rabbitmq";

it("forwards deposits to RabbitMQ and keeps the same ledger from a queue", async () => {
  const EXCHANGE = `bank-${randomBytes(4).toString("hex")}`; // fresh names per run
  const QUEUE = `ledger-${randomBytes(4).toString("hex")}`;
  const producerDb = await PGlite.create();
  const database = { kind: "pglite" as const, instance: producerDb };
  const store = await createEventStore({ registry: bankingRegistry, database, personalData: "unencrypted" });
  const consumerDb = await PGlite.create(); // the consumer's own database

  // The consumer first: it declares its queue and binds it, so no forwarded message is unroutable.
  const consumer = await consumeRabbitMq({
    name: "ledger",
    url: "amqp://guest:guest@127.0.0.1:5672",
    queue: QUEUE, // durable, single active consumer: one consumer at a time, in queue order
    bindings: [{ exchange: EXCHANGE, patterns: ["bank.account.*"] }],
    database: { kind: "pglite", instance: consumerDb },
    registry: bankingRegistry,
    projection: ledger, // the projection of section 2
  });
  const publisher = createRabbitMqPublisher({ url: "amqp://guest:guest@127.0.0.1:5672", exchange: EXCHANGE });
  const toRabbit = defineForwarder(bankingRegistry, {
    name: "to-rabbit",
    handles: ["AccountOpened", "MoneyDeposited"],
    publisher, // persistent messages; the checkpoint moves after the publisher confirms
    destination: categoryTypeDestination("bank"), // routing key bank.account.MoneyDeposited
  });
  const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [toRabbit] });
  await engine.start();

  await store.append("account-42", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
  await store.append("account-42", [{ type: "MoneyDeposited", data: { amount: 500, currency: "EUR" } }]);
  const balance = async () => (await consumerDb.query<{ balance: number }>("SELECT balance FROM ledger.ledger WHERE account = 'account-42'")).rows[0]?.balance;
  await expect.poll(balance, { timeout: 20_000 }).toBe(500);

  await consumer.stop();
  await engine.close();
  await publisher.close();
  await store.close();
  await producerDb.close();
  await consumerDb.close();
  await deleteTopology("amqp://guest:guest@127.0.0.1:5672", [{ exchange: EXCHANGE, queue: QUEUE }]);
});
