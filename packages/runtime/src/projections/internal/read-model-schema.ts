/**
 * The Postgres schemas holding a projection's read model. The live read model lives in
 * `<schema>`; a rebuild writes into `<schema>__rebuild` and, once caught up, the swap renames
 * both in the batch transaction that caught up, so readers switch atomically at commit.
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { MigrationError } from "../../errors.js";
import { withSchemaScopedIntrospection } from "../../migrations/scoped-introspection.js";
import type { Projection } from "../projection.js";
import type { Storage } from "../../storage/storage.js";

/** What the read-model migrations need: the store's storage (the engine's, or the store's own for inline projections). */
type HasStorage = { readonly storage: Storage };

/** The read model's migration bookkeeping table, inside the read-model schema. */
export const READ_MODEL_MIGRATIONS = "strata_read_model_migrations";

/** Where a rebuild writes before the swap. */
export function rebuildSchemaOf(projection: Pick<Projection, "schema">): string {
  return `${projection.schema}__rebuild`;
}

const quote = (name: string) => sql.id(name);

/** Creates `schema` when missing and applies the projection's pending migrations inside it. */
export async function migrateReadModel(access: HasStorage, projection: Projection, schema: string): Promise<void> {
  await access.storage.withKysely(async (db: Kysely<unknown>) => {
    await sql`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`.execute(db);
    const migrator = new Migrator({
      db: withSchemaScopedIntrospection(db.withSchema(schema), schema),
      provider: { getMigrations: () => Promise.resolve(projection.migrations) },
      migrationTableSchema: schema,
      migrationTableName: READ_MODEL_MIGRATIONS,
      migrationLockTableName: `${READ_MODEL_MIGRATIONS}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((result) => result.status === "Error");
      throw new MigrationError({ schema, ...(failed === undefined ? {} : { migration: `${projection.name}/${failed.migrationName}` }), cause: error });
    }
  });
}

/** Drops a rebuild's schema, so the rebuild starts from empty tables. */
export async function dropSchema(access: HasStorage, schema: string): Promise<void> {
  await access.storage.withKysely((db: Kysely<unknown>) => sql`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`.execute(db));
}

/**
 * Inside the transaction that caught the rebuild up: the rebuilt schema takes the live name and
 * the old one is dropped. Queries see the old tables until commit and the new ones after it.
 */
export async function swapSchemas(trx: Kysely<unknown>, projection: Projection): Promise<void> {
  const old = `${projection.schema}__old`;
  await sql`DROP SCHEMA IF EXISTS ${quote(old)} CASCADE`.execute(trx);
  await sql`ALTER SCHEMA ${quote(projection.schema)} RENAME TO ${quote(old)}`.execute(trx);
  await sql`ALTER SCHEMA ${quote(rebuildSchemaOf(projection))} RENAME TO ${quote(projection.schema)}`.execute(trx);
  await sql`DROP SCHEMA ${quote(old)} CASCADE`.execute(trx);
}
