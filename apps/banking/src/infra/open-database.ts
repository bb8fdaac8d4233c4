/**
 * Opens the database the app runs on: embedded PGlite (a data directory, or in memory), or a
 * PostgreSQL server when a connection string is given. The store, the projection engine and the
 * read queries all share this one PGlite instance or pg pool.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { restrictDataDir } from "@strata/runtime";
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
    const { dataDir } = target;
    // Private at rest: the directory 0700, its files 0600 (the runtime's restrictDataDir).
    if (dataDir !== undefined) restrictDataDir(dataDir);
    const instance = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
    if (dataDir !== undefined) restrictDataDir(dataDir);
    return {
      kind: "pglite",
      config: { kind: "pglite", instance },
      readDb: pgliteReadDb(instance),
      description: dataDir === undefined ? "PGlite in memory" : `PGlite at ${dataDir}`,
      close: async () => {
        await instance.close();
        if (dataDir !== undefined) restrictDataDir(dataDir);
      },
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
