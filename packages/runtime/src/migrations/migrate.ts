import { Migrator } from "kysely/migration";
import { withSchemaScopedIntrospection } from "./scoped-introspection.js";
import type { Kysely } from "kysely";
import type { MigrationResult } from "kysely/migration";
import { MigrationError } from "../errors.js";
import { wrapDriverError } from "../storage/driver-errors.js";
import type { Storage } from "../storage/storage.js";
import { storeMigrations } from "./migrations.js";

/** What a migration run did. */
export interface MigrationReport {
  readonly schema: string;
  /** Migrations applied by this run, in order; empty when the schema was already current. */
  readonly applied: readonly string[];
}

/** The bookkeeping tables live in the store's own schema, beside the events. */
export const MIGRATION_TABLE = "strata_migrations";

/**
 * Brings `schema` to the latest layout. Idempotent, and safe when several processes start at
 * once: Kysely's migrator holds a Postgres advisory lock for the run and applies all pending
 * migrations in one transaction (DDL is transactional in Postgres), so a second process waits,
 * then finds nothing left to do. A failure applies nothing.
 */
export async function migrateStorage(storage: Storage, schema: string): Promise<MigrationReport> {
  return storage.withKysely(async (db: Kysely<unknown>) => {
    const migrator = new Migrator({
      // Other schemas of a shared server come and go; the migrator looks at its own only.
      db: withSchemaScopedIntrospection(db, schema),
      provider: { getMigrations: () => Promise.resolve(storeMigrations(schema)) },
      migrationTableSchema: schema,
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: `${MIGRATION_TABLE}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const driverError = wrapDriverError(error);
      if (driverError.code === "STORE_UNAVAILABLE") throw driverError;
      const failed = results?.find((result: MigrationResult) => result.status === "Error");
      throw new MigrationError({ schema, ...(failed === undefined ? {} : { migration: failed.migrationName }), cause: error });
    }
    return { schema, applied: (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName) };
  });
}
