import { checkSchemaName, DEFAULT_SCHEMA } from "../store/create-event-store.js";
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { migrateStorage } from "./migrate.js";
import type { MigrationReport } from "./migrate.js";

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string | undefined;
}

/**
 * Brings the store's schema to the latest release and reports what it applied: what
 * `strata migrate` runs. Idempotent; safe to run from several processes at once.
 *
 * @example
 * ```ts
 * const report = await runMigrations({ database: { kind: "postgres", connectionString: process.env.DATABASE_URL! } });
 * console.log(report.applied); // ["0001-initial"] the first time, [] afterwards
 * ```
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationReport> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  const storage = createStorage(options.database);
  try {
    return await migrateStorage(storage, schema);
  } finally {
    await storage.close();
  }
}
