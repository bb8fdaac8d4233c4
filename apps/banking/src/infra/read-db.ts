/**
 * The connection the API reads read models through: the same PGlite instance or pg pool the
 * store and the projection engine use.
 *
 * @module
 */
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** Runs one SQL statement and returns its rows. */
export interface ReadDb {
  query<T = Record<string, unknown>>(text: string, parameters?: readonly unknown[]): Promise<readonly T[]>;
}

/** A {@link ReadDb} over a PGlite instance. */
export function pgliteReadDb(instance: PGlite): ReadDb {
  return { query: async <T>(text: string, parameters: readonly unknown[] = []) => (await instance.query<T>(text, [...parameters])).rows };
}

/** A {@link ReadDb} over a pg pool. */
export function poolReadDb(pool: pg.Pool): ReadDb {
  return { query: async <T>(text: string, parameters: readonly unknown[] = []) => (await pool.query(text, [...parameters])).rows as T[] };
}
