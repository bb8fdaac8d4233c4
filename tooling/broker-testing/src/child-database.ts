/** The child side of the crash tests: the configuration a test hands its child, and its database. */
import { PGlite } from "@electric-sql/pglite";
import type { DatabaseConfig } from "@strata/runtime";

/** Where a child's database lives: the PostgreSQL server (`connectionString`) or a PGlite data directory. */
export interface ChildDatabaseConfig {
  readonly connectionString?: string;
  readonly dataDir?: string;
}

/** The configuration the test passed in STRATA_CHILD (JSON). */
export function readChildConfig<Config extends ChildDatabaseConfig>(): Config {
  return JSON.parse(process.env["STRATA_CHILD"] ?? "{}") as Config;
}

/** Opens the child's database: a small pool on the server, or the PGlite data directory. */
export async function childDatabase(config: ChildDatabaseConfig): Promise<DatabaseConfig> {
  return config.connectionString === undefined
    ? { kind: "pglite", instance: await PGlite.create(config.dataDir) }
    : { kind: "postgres", connectionString: config.connectionString, poolSize: 3 };
}
