/**
 * The worked example of docs/integration.md, run in CI exactly as the page shows it
 * (integration.example-doc.unit.test.ts keeps the two in step): a store whose deposits are
 * forwarded to NATS JetStream, and a consumer elsewhere that keeps a ledger from them.
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { beforeAll, expect, it } from "vitest";
import { producerRegistry as bankingRegistry } from "@strata/broker-testing";
import { deleteStreams, deleteStreamsOn, NATS_SERVER, openConnection } from "./nats-test-kit.fixture.js";

// The example's subjects are fixed (`bank.>`): a stream left by an interrupted run would overlap.
beforeAll(() => deleteStreamsOn("bank.>"));
// 1. The producer: a forwarder on the store's checkpoints.
import { categoryTypeDestination, createEventStore, createProjectionEngine, defineForwarder, defineProjection } from "@strata/runtime";
import { consumeJetStream, createJetStreamPublisher } from "@strata/nats";

it("forwards deposits to JetStream and keeps a ledger from them elsewhere", async () => {
  const STREAM = `BANK_${randomBytes(4).toString("hex")}`; // a fresh stream per run
  const producerDb = await PGlite.create();
  const database = { kind: "pglite" as const, instance: producerDb };
  const store = await createEventStore({ registry: bankingRegistry, database, personalData: "unencrypted" });

  const publisher = await createJetStreamPublisher({
    servers: NATS_SERVER,
    stream: { name: STREAM, subjects: ["bank.>"], duplicateWindowMs: 120_000 },
  });
  const toNats = defineForwarder(bankingRegistry, {
    name: "to-nats",
    handles: ["AccountOpened", "MoneyDeposited"],
    publisher,
    destination: categoryTypeDestination("bank"), // bank.account.MoneyDeposited
  });
  const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [toNats] });
  await engine.start();

  // 2. The consumer: a projection fed from the JetStream stream, exactly once in effect.
  interface LedgerDb {
    ledger: { account: string; balance: number };
  }
  const ledger = defineProjection<typeof bankingRegistry, "MoneyDeposited", LedgerDb>(bankingRegistry, {
    name: "ledger",
    version: 1,
    handles: ["MoneyDeposited"],
    migrations: {
      "001": { up: (db) => db.schema.createTable("ledger").addColumn("account", "text", (c) => c.primaryKey()).addColumn("balance", "integer").execute() },
    },
    handle: async (events, { db }) => {
      for (const { streamId, data } of events) {
        await db
          .insertInto("ledger")
          .values({ account: streamId, balance: data.amount })
          .onConflict((c) => c.column("account").doUpdateSet((eb) => ({ balance: eb("ledger.balance", "+", data.amount) })))
          .execute();
      }
    },
  });
  const consumerDb = await PGlite.create(); // the consumer's own database
  const consumer = await consumeJetStream({
    name: "ledger",
    servers: NATS_SERVER,
    stream: STREAM,
    filterSubject: "bank.account.>",
    database: { kind: "pglite", instance: consumerDb },
    registry: bankingRegistry, // the consumer's own events package: it upcasts with it
    projection: ledger,
    failure: { maxAttempts: 5, onExhausted: "dead-letter" },
  });

  // 3. Both at work.
  await store.append("account-42", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
  await store.append("account-42", [
    { type: "MoneyDeposited", data: { amount: 500, currency: "EUR" } },
    { type: "MoneyDeposited", data: { amount: 250, currency: "EUR" } },
  ]);
  const balance = async () => (await consumerDb.query<{ balance: number }>("SELECT balance FROM ledger.ledger WHERE account = 'account-42'")).rows[0]?.balance;
  await expect.poll(balance, { timeout: 20_000 }).toBe(750);
  console.log(await engine.status("to-nats")); // [{ name: "to-nats", kind: "subscription", state: "live", lagEvents: 0, … }]

  await consumer.stop();
  await engine.close();
  await publisher.close();
  await store.close();
  await producerDb.close();
  await consumerDb.close();
  const connection = await openConnection();
  await deleteStreams(connection, [STREAM]);
  await connection.close();
});
