/**
 * Transaction history: one row per deposit or withdrawal, keyed by account and stream version
 * (so applying an event twice inserts nothing new), paged by version.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import type { BankingEvent } from "@strata/banking-events";
import { defineProjection } from "@strata/runtime";
import type { Projection, SubjectErasedEvent } from "@strata/runtime";

interface TransactionsDb {
  transactions: {
    account_id: string;
    version: number;
    kind: string;
    amount_minor: number;
    currency: string;
    source: string | null;
    reference: string | null;
    recorded_at: Date;
  };
}

/** The transaction-history projection, its tables in Postgres schema `schema`. */
export function transactionsProjection(schema: string): Projection<BankingEvent | SubjectErasedEvent, "MoneyDeposited" | "MoneyWithdrawn", TransactionsDb> {
  return defineProjection<typeof bankingRegistry, "MoneyDeposited" | "MoneyWithdrawn", TransactionsDb>(bankingRegistry, {
    name: `${schema}-transactions`,
    schema: `${schema}_transactions`,
    version: 1,
    handles: ["MoneyDeposited", "MoneyWithdrawn"],
    migrations: {
      "001-transactions": {
        up: async (db) => {
          await db.schema
            .createTable("transactions")
            .addColumn("account_id", "text", (column) => column.notNull())
            .addColumn("version", "integer", (column) => column.notNull())
            .addColumn("kind", "text", (column) => column.notNull())
            .addColumn("amount_minor", "bigint", (column) => column.notNull())
            .addColumn("currency", "text", (column) => column.notNull())
            .addColumn("source", "text")
            .addColumn("reference", "text")
            .addColumn("recorded_at", "timestamptz", (column) => column.notNull())
            .addPrimaryKeyConstraint("transactions_pk", ["account_id", "version"])
            .execute();
        },
      },
    },
    handle: async (events, { db }) => {
      for (const event of events) {
        const deposit = event.type === "MoneyDeposited";
        await db
          .insertInto("transactions")
          .values({
            account_id: event.data.accountId,
            version: event.version,
            kind: deposit ? "deposit" : "withdrawal",
            amount_minor: deposit ? event.data.money.amountMinor : -event.data.money.amountMinor,
            currency: event.data.money.currency,
            source: event.type === "MoneyDeposited" ? event.data.source : null,
            reference: event.data.reference ?? null,
            recorded_at: event.recordedAt,
          })
          .onConflict((conflict) => conflict.columns(["account_id", "version"]).doNothing())
          .execute();
      }
    },
  });
}
