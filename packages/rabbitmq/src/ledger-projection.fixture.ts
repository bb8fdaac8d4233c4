/** Test fixture: the ledger projection of docs/integration.md's worked example (section 2), unchanged. */
import { defineProjection } from "@strata/runtime";
import { producerRegistry as bankingRegistry } from "@strata/broker-testing";

interface LedgerDb {
  ledger: { account: string; balance: number };
}

/** A balance per account from the deposits. */
export const ledger = defineProjection<typeof bankingRegistry, "MoneyDeposited", LedgerDb>(bankingRegistry, {
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
