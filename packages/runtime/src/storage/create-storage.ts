import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { createPGliteStorage } from "./pglite-storage.js";
import { createPostgresStorage } from "./postgres-storage.js";
import type { Storage } from "./storage.js";

/**
 * Which database the store uses.
 *
 * - `{ kind: "pglite" }`: embedded PGlite in memory; add `dataDir` to persist, or pass your own `instance`.
 * - `{ kind: "postgres", connectionString }`: a PostgreSQL server through a `pg` pool the store owns
 *   (`poolSize`, default 10), or `{ kind: "postgres", pool }` with a pool you own.
 *
 * Instances and pools you pass in are not closed by `store.close()`.
 */
export type DatabaseConfig =
  | { readonly kind: "pglite"; readonly dataDir?: string }
  | { readonly kind: "pglite"; readonly instance: PGlite }
  | { readonly kind: "postgres"; readonly connectionString: string; readonly poolSize?: number }
  | { readonly kind: "postgres"; readonly pool: pg.Pool };

/** Opens the storage adapter for `config`; the only place that picks a backend. */
export function createStorage(config: DatabaseConfig): Storage {
  switch (config.kind) {
    case "pglite":
      return createPGliteStorage(config);
    case "postgres":
      return createPostgresStorage(config);
  }
}
