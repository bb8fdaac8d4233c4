import { PGlite } from "@electric-sql/pglite";
import { restrictDataDir } from "@strata/runtime";
import type { DatabaseConfig } from "@strata/runtime";

/** Where embedded PGlite keeps its data when no server is used. */
const DATA_DIR = ".strata-data";

/** PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in .strata-data/ (no server needed). */
export function database(): DatabaseConfig {
  const url = process.env["DATABASE_URL"];
  return url ? { kind: "postgres", connectionString: url } : { kind: "pglite", dataDir: DATA_DIR };
}

/** The database of one process: what the store and the projection engine open, and how to close it. */
export interface OpenDatabase {
  readonly config: DatabaseConfig;
  close(): Promise<void>;
}

/**
 * Opens {@link database} once for the whole process. PGlite allows one instance per data
 * directory, so the event store and the projection engine share it; on PostgreSQL each opens
 * its own connection pool.
 */
export async function openDatabase(): Promise<OpenDatabase> {
  const config = database();
  if (config.kind !== "pglite") return { config, close: async () => {} };
  // Private at rest: the directory 0700 and its files 0600, before and after PGlite creates them.
  restrictDataDir(DATA_DIR);
  const instance = await PGlite.create(DATA_DIR);
  restrictDataDir(DATA_DIR);
  return {
    config: { kind: "pglite", instance },
    close: async () => {
      await instance.close();
      restrictDataDir(DATA_DIR);
    },
  };
}
