/**
 * Test fixture: the `strata.config.ts` that `strata projections` loads (through tsx) in
 * `src/commands/projections.int.test.ts`. Shaped like an application's config; the test steers it
 * through environment variables, read by getters so that every load sees the current values:
 *
 * - `STRATA_PROJECTIONS_TEST_DIR`: holds `failing.json` (the deposit amounts the handler refuses)
 *   and, on PGlite, the data directory `pgdata`.
 * - `STRATA_PROJECTIONS_TEST_URL`: a Postgres server; PGlite when unset.
 * - `STRATA_PROJECTIONS_TEST_SCHEMA` / `STRATA_PROJECTIONS_TEST_READ_SCHEMA`: the store's and the
 *   read model's schemas.
 * - `STRATA_PROJECTIONS_TEST_DEAD_LETTER`: when set, the projection dead-letters at once.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { defineProjection, defineRegistry } from "@strata/runtime";
import type { DatabaseConfig, EventTypeSpec } from "@strata/runtime";

/** A deposit; `note` stands for a value that must never reach the CLI's output. */
export type Deposited = { readonly type: "Deposited"; readonly data: { readonly amount: number; readonly note: string } };

// The registry only types the handler here; validation is not under test.
const accept = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };
const deposited: EventTypeSpec = { type: "Deposited", latestVersion: 1, versions: { 1: { version: 1, validator: accept, pii: [] } }, upcasters: [] };

/** The fixture's registry: one event type. */
export const registry = defineRegistry<Deposited>({ context: "cli-projections-test", events: { Deposited: deposited } });

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set (see packages/cli/test/projections-config/strata.config.ts).`);
  return value;
}

interface DepositsDb {
  deposits: { event_id: string; amount: number };
}

function depositsProjection() {
  const dir = setting("STRATA_PROJECTIONS_TEST_DIR");
  return defineProjection<typeof registry, "Deposited", DepositsDb>(registry, {
    name: "deposits",
    version: 1,
    schema: setting("STRATA_PROJECTIONS_TEST_READ_SCHEMA"),
    handles: ["Deposited"],
    ...(process.env["STRATA_PROJECTIONS_TEST_DEAD_LETTER"] === undefined ? {} : { failure: { maxAttempts: 1, onExhausted: "dead-letter" as const } }),
    migrations: {
      "001-deposits": {
        up: (db) => db.schema.createTable("deposits").addColumn("event_id", "text", (c) => c.primaryKey()).addColumn("amount", "integer", (c) => c.notNull()).execute(),
      },
    },
    handle: async (events, { db }) => {
      const failing = JSON.parse(readFileSync(path.join(dir, "failing.json"), "utf8")) as number[];
      for (const event of events) {
        // The message quotes the event's data, as real errors do: the CLI must not print it.
        if (failing.includes(event.data.amount)) throw new RangeError(`refusing deposit ${event.data.amount} (${event.data.note})`);
        await db.insertInto("deposits").values({ event_id: event.id, amount: event.data.amount }).execute();
      }
    },
  });
}

/** The engine options the CLI reads: `{ database, schema, registry, projections }` and tuning. */
export default {
  get database(): DatabaseConfig {
    const url = process.env["STRATA_PROJECTIONS_TEST_URL"];
    return url === undefined ? { kind: "pglite", dataDir: path.join(setting("STRATA_PROJECTIONS_TEST_DIR"), "pgdata") } : { kind: "postgres", connectionString: url, poolSize: 3 };
  },
  get schema(): string {
    return setting("STRATA_PROJECTIONS_TEST_SCHEMA");
  },
  registry,
  get projections() {
    return [depositsProjection()];
  },
  maxAttempts: 2,
  backoff: { initialMs: 5, maxMs: 20 },
  pollMs: 100,
  leaseMs: 2_000,
};
