/**
 * Test fixture: a balance projection over the store's test registry, and the from-scratch fold
 * that its read model must equal. `ledger` records every applied event id under a primary key,
 * so applying an event twice fails loudly instead of passing unnoticed.
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { TestEvent } from "../../test/fixtures/test-registry.js";
import type { EventStore } from "../store/event-store.js";
import { defineProjection } from "./projection.js";
import type { Projection } from "./projection.js";

/** The read model's tables. */
export interface BalancesDb {
  balances: { account: string; amount: string; deposits: number; closed: boolean };
  ledger: { event_id: string; global_position: string; stream_id: string; version: number };
}

/** Options of {@link balancesProjection}. */
export interface BalancesOptions {
  readonly name: string;
  readonly schema: string;
  readonly version?: number;
  /** Throws on events for which this returns true (a failing handler). */
  readonly failOn?: (eventId: string, amount: number) => boolean;
  readonly batchSize?: number;
  readonly catchUpBatchSize?: number;
  /** Sleeps this long inside every batch, after writing (so a kill lands mid-transaction). */
  readonly delayMs?: number;
}

/** A fresh balances projection definition. */
export function balancesProjection(options: BalancesOptions): Projection<TestEvent, "AccountOpened" | "MoneyDeposited" | "AccountClosed", BalancesDb> {
  return defineProjection(testRegistry, {
    name: options.name,
    schema: options.schema,
    version: options.version ?? 1,
    handles: ["AccountOpened", "MoneyDeposited", "AccountClosed"],
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.catchUpBatchSize === undefined ? {} : { catchUpBatchSize: options.catchUpBatchSize }),
    migrations: {
      "001-tables": {
        up: async (db: Kysely<unknown>) => {
          await db.schema.createTable("balances").addColumn("account", "text", (c) => c.primaryKey()).addColumn("amount", "bigint", (c) => c.notNull().defaultTo(0))
            .addColumn("deposits", "integer", (c) => c.notNull().defaultTo(0)).addColumn("closed", "boolean", (c) => c.notNull().defaultTo(false)).execute();
          // seq: the order in which events were applied.
          await db.schema.createTable("ledger").addColumn("seq", "bigserial").addColumn("event_id", "text", (c) => c.primaryKey()).addColumn("global_position", "bigint", (c) => c.notNull())
            .addColumn("stream_id", "text", (c) => c.notNull()).addColumn("version", "integer", (c) => c.notNull()).execute();
        },
      },
    },
    handle: async (events, { db }) => {
      for (const event of events) {
        if (event.type === "MoneyDeposited" && options.failOn?.(event.id, event.data.amount) === true) throw new TypeError("refusing this deposit");
        await db.insertInto("ledger").values({ event_id: event.id, global_position: event.globalPosition.toString(), stream_id: event.streamId, version: event.version }).execute();
        switch (event.type) {
          case "AccountOpened":
            await db.insertInto("balances").values({ account: event.streamId, amount: "0", deposits: 0, closed: false }).onConflict((c) => c.doNothing()).execute();
            break;
          case "MoneyDeposited":
            await db.insertInto("balances").values({ account: event.streamId, amount: String(event.data.amount), deposits: 1, closed: false })
              .onConflict((c) => c.column("account").doUpdateSet({ amount: sql`balances.amount + ${event.data.amount}`, deposits: sql`balances.deposits + 1` })).execute();
            break;
          case "AccountClosed":
            await db.updateTable("balances").set({ closed: true }).where("account", "=", event.streamId).execute();
            break;
        }
      }
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    },
  });
}

/** One balance row, normalised for comparison. */
export interface Balance {
  readonly account: string;
  readonly amount: number;
  readonly deposits: number;
  readonly closed: boolean;
}

/**
 * The fold from scratch of every event in the store, the truth the read model must equal. Reads
 * stream by stream: unlike `readAll`, a stream read is not held back by transactions in flight
 * elsewhere on the server, so the fold always includes every committed event.
 */
export async function foldBalances(store: EventStore, skip: ReadonlySet<string> = new Set()): Promise<Balance[]> {
  const balances = new Map<string, { amount: number; deposits: number; closed: boolean }>();
  let after: string | undefined;
  do {
    const page = await store.listStreams({ ...(after === undefined ? {} : { after }), limit: 500 });
    for (const { streamId } of page.streams) {
      for await (const event of store.readStream(streamId)) {
        if (skip.has(event.id)) continue;
        const current = balances.get(streamId) ?? { amount: 0, deposits: 0, closed: false };
        if (event.type === "MoneyDeposited") balances.set(streamId, { ...current, amount: current.amount + (event.data as { amount: number }).amount, deposits: current.deposits + 1 });
        else if (event.type === "AccountClosed") {
          if (balances.has(streamId)) balances.set(streamId, { ...current, closed: true });
        } else balances.set(streamId, current);
      }
    }
    after = page.next;
  } while (after !== undefined);
  return [...balances].map(([account, b]) => ({ account, ...b })).sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

/** Reads the read model's balances, normalised. */
export async function readBalances(query: (text: string) => Promise<readonly Record<string, unknown>[]>, schema: string): Promise<Balance[]> {
  const rows = await query(`SELECT account, amount::int AS amount, deposits, closed FROM "${schema}".balances ORDER BY account`);
  return rows
    .map((row) => ({ account: String(row["account"]), amount: Number(row["amount"]), deposits: Number(row["deposits"]), closed: row["closed"] === true }))
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}
