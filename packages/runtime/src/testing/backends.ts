import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import type { CreateEventStoreOptions } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";

/** A database a suite runs against, with helpers that keep every test in its own schema. */
export interface StoreBackend {
  /** `"pglite"` or `"postgres"`; for test names only. */
  readonly name: "pglite" | "postgres";
  /** Whether statements really run concurrently (pg) or are serialised (PGlite). */
  readonly concurrent: boolean;
  /** The shared PGlite instance or pg pool of this file, as a store `database` option. Valid inside tests. */
  database(): DatabaseConfig;
  /** A fresh, random schema name; dropped after the suite. */
  freshSchema(): string;
  /**
   * Opens a store in a fresh schema (or `options.schema`); closed and dropped after the suite.
   * `personalData` is passed to `createEventStore` as given: a registry that declares personal
   * data needs keys (`{ kek }`) or, for a test that wants plaintext, `"unencrypted"`.
   */
  createStore<R extends EventRegistry<EventShape>>(
    registry: R,
    options?: { readonly schema?: string; readonly migrate?: boolean; readonly personalData?: CreateEventStoreOptions<R>["personalData"] },
  ): Promise<EventStore<RegistryEvent<R>, RegistryReadEvent<R>>>;
  /** Runs one SQL statement on the shared database (for assertions on the stored rows). */
  query<T = Record<string, unknown>>(text: string, parameters?: readonly unknown[]): Promise<readonly T[]>;
}

interface Resources {
  pglite?: PGlite;
  pool?: pg.Pool;
}

function makeBackend(name: "pglite" | "postgres", connectionString: string | undefined): { backend: StoreBackend; open(): Promise<void>; close(): Promise<void> } {
  const resources: Resources = {};
  const schemas: string[] = [];
  const stores: EventStore[] = [];
  const database = (): DatabaseConfig => {
    if (resources.pglite !== undefined) return { kind: "pglite", instance: resources.pglite };
    if (resources.pool !== undefined) return { kind: "postgres", pool: resources.pool };
    throw new Error("describeEachBackend: the database is opened in beforeAll; use it inside tests or hooks.");
  };
  const freshSchema = (): string => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    schemas.push(schema);
    return schema;
  };
  const query = async <T>(text: string, parameters: readonly unknown[] = []): Promise<readonly T[]> => {
    if (resources.pglite !== undefined) return (await resources.pglite.query<T>(text, [...parameters])).rows;
    if (resources.pool !== undefined) return (await resources.pool.query(text, [...parameters])).rows as T[];
    throw new Error("describeEachBackend: no database open.");
  };
  const backend: StoreBackend = {
    name,
    concurrent: name === "postgres",
    database,
    freshSchema,
    query,
    createStore: async (registry, options = {}) => {
      const schema = options.schema ?? freshSchema();
      const personalData = options.personalData === undefined ? {} : { personalData: options.personalData };
      const store = await createEventStore({ registry, database: database(), schema, migrate: options.migrate ?? true, ...personalData });
      stores.push(store as unknown as EventStore);
      return store;
    },
  };
  return {
    backend,
    open: async () => {
      if (name === "pglite") resources.pglite = await PGlite.create();
      else resources.pool = new pg.Pool({ connectionString, max: 40 });
    },
    close: async () => {
      for (const store of stores.splice(0)) await store.close();
      for (const schema of schemas.splice(0)) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await resources.pglite?.close();
      await resources.pool?.end();
    },
  };
}

/**
 * Runs `suite` once per available backend: PGlite always (one instance per call, so one per
 * test file when called once), and the PostgreSQL server at `DATABASE_URL` when it is set. Each
 * store the suite creates lives in its own random schema, dropped afterwards, so suites can share
 * a server.
 *
 * @example
 * ```ts
 * describeEachBackend("append", (backend) => {
 *   it("appends", async () => {
 *     const store = await backend.createStore(registry);
 *     await store.append("s-1", [{ type: "Opened", data: {} }]);
 *   });
 * });
 * ```
 */
export function describeEachBackend(title: string, suite: (backend: StoreBackend) => void): void {
  const url = process.env["DATABASE_URL"];
  const names: ("pglite" | "postgres")[] = url === undefined || url === "" ? ["pglite"] : ["pglite", "postgres"];
  for (const name of names) {
    describe(`${title} [${name}]`, () => {
      const { backend, open, close } = makeBackend(name, url);
      beforeAll(open);
      afterAll(close);
      suite(backend);
    });
  }
}
