/**
 * Opens the database the app runs on: embedded PGlite (a data directory, or in memory), or a
 * PostgreSQL server when a connection string is given. The store, the projection engine and the
 * read queries all share this one PGlite instance or pg pool.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { DatabaseConfig } from "@strata/runtime";
import pg from "pg";
import type { ReadDb } from "./read-db.js";
import { pgliteReadDb, poolReadDb } from "./read-db.js";

/** Where the app keeps its data. */
export type DatabaseTarget =
  | { readonly kind: "pglite"; readonly dataDir?: string | undefined }
  | { readonly kind: "postgres"; readonly connectionString: string; readonly poolSize?: number | undefined };

/** An open database. */
export interface AppDatabase {
  readonly kind: "pglite" | "postgres";
  /** What to hand the runtime's `createEventStore` and projection engine. */
  readonly config: DatabaseConfig;
  readonly readDb: ReadDb;
  /** For logs: never carries credentials. */
  readonly description: string;
  close(): Promise<void>;
}

/** Opens `target`. */
export async function openDatabase(target: DatabaseTarget): Promise<AppDatabase> {
  if (target.kind === "pglite") {
    if (target.dataDir !== undefined) await mkdir(target.dataDir, { recursive: true });
    const instance = target.dataDir === undefined ? await PGlite.create() : await PGlite.create(target.dataDir);
    return {
      kind: "pglite",
      config: { kind: "pglite", instance },
      readDb: pgliteReadDb(instance),
      description: target.dataDir === undefined ? "PGlite in memory" : `PGlite at ${target.dataDir}`,
      close: () => instance.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: target.connectionString, max: target.poolSize ?? 20 });
  // An idle client's connection dropping must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const url = new URL(target.connectionString);
  return {
    kind: "postgres",
    config: { kind: "postgres", pool },
    readDb: poolReadDb(pool),
    description: `PostgreSQL at ${url.hostname}:${url.port || "5432"}${url.pathname}`,
    close: () => pool.end(),
  };
}
