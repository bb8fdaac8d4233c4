/**
 * Balances: one row per account with its balance and status. Each row remembers the stream
 * version it has applied, so applying an event twice changes nothing.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import type { BankingEvent } from "@strata/banking-events";
import { defineProjection } from "@strata/runtime";
import type { Projection, SubjectErasedEvent } from "@strata/runtime";

interface BalancesDb {
  accounts: {
    account_id: string;
    customer_id: string;
    currency: string;
    balance_minor: string | number;
    overdraft_limit_minor: number;
    status: string;
    version: number;
  };
}

/** The balances projection, its tables in Postgres schema `schema`. */
export function balancesProjection(schema: string): Projection<BankingEvent | SubjectErasedEvent, "AccountOpened" | "MoneyDeposited" | "MoneyWithdrawn" | "AccountFrozen" | "AccountClosed", BalancesDb> {
  return defineProjection<typeof bankingRegistry, "AccountOpened" | "MoneyDeposited" | "MoneyWithdrawn" | "AccountFrozen" | "AccountClosed", BalancesDb>(bankingRegistry, {
    name: `${schema}-balances`,
    schema: `${schema}_balances`,
    version: 1,
    handles: ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "AccountFrozen", "AccountClosed"],
    migrations: {
      "001-accounts": {
        up: async (db) => {
          await db.schema
            .createTable("accounts")
            .addColumn("account_id", "text", (column) => column.primaryKey())
            .addColumn("customer_id", "text", (column) => column.notNull())
            .addColumn("currency", "text", (column) => column.notNull())
            .addColumn("balance_minor", "bigint", (column) => column.notNull())
            .addColumn("overdraft_limit_minor", "bigint", (column) => column.notNull())
            .addColumn("status", "text", (column) => column.notNull())
            .addColumn("version", "integer", (column) => column.notNull())
            .execute();
          await db.schema.createIndex("accounts_by_customer").on("accounts").column("customer_id").execute();
        },
      },
    },
    handle: async (events, { db }) => {
      for (const event of events) {
        const update = db.updateTable("accounts").where("account_id", "=", event.data.accountId).where("version", "<", event.version);
        switch (event.type) {
          case "AccountOpened":
            await db
              .insertInto("accounts")
              .values({
                account_id: event.data.accountId,
                customer_id: event.data.customerId,
                currency: event.data.currency,
                balance_minor: 0,
                overdraft_limit_minor: event.data.overdraftLimitMinor,
                status: "open",
                version: event.version,
              })
              .onConflict((conflict) => conflict.column("account_id").doNothing())
              .execute();
            break;
          case "MoneyDeposited":
            await update.set((eb) => ({ balance_minor: eb("balance_minor", "+", event.data.money.amountMinor), version: event.version })).execute();
            break;
          case "MoneyWithdrawn":
            await update.set((eb) => ({ balance_minor: eb("balance_minor", "-", event.data.money.amountMinor), version: event.version })).execute();
            break;
          case "AccountFrozen":
            await update.set({ status: "frozen", version: event.version }).execute();
            break;
          case "AccountClosed":
            await update.set({ status: "closed", version: event.version }).execute();
            break;
        }
      }
    },
  });
}
