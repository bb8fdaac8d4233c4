import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { TableMetadata } from "kysely";
import { createStorage } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import { describeEachBackend } from "../testing/backends.js";
import { withSchemaScopedIntrospection } from "./scoped-introspection.js";

const url = process.env["DATABASE_URL"];
const COLUMNS = Array.from({ length: 40 }, (_, i) => `c${i} int`).join(", ");

// Kysely's migrator lists the tables of every schema of the database; on a server shared with
// other processes, tables and schemas come and go during that listing. A store must open anyway.
describe.runIf(url !== undefined && url !== "")("migrations while other sessions create and drop tables and schemas [postgres]", () => {
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("opens every store, each with its whole layout, while the churn goes on", { timeout: 120_000 }, async () => {
    let done = false;
    const churn = async (kind: "table" | "schema") => {
      const client = await pool.connect();
      try {
        for (let i = 0; !done; i += 1) {
          const name = `churn_${kind}_${randomBytes(5).toString("hex")}`;
          // Columns widen the window: the listing calls `pg_get_serial_sequence` on each of them by name.
          // Each statement commits on its own, so other sessions see the objects appear and vanish.
          if (kind === "table") {
            await client.query(`CREATE TABLE public.${name} (${COLUMNS})`);
            await client.query(`DROP TABLE public.${name}`);
          } else {
            await client.query(`CREATE SCHEMA ${name}`);
            await client.query(`CREATE TABLE ${name}.t (${COLUMNS})`);
            await client.query(`DROP SCHEMA ${name} CASCADE`);
          }
        }
      } finally {
        client.release();
      }
    };
    const churning = [churn("table"), churn("table"), churn("schema"), churn("schema")];
    try {
      for (let i = 0; i < 12; i += 1) {
        const schema = `strata_test_${randomBytes(6).toString("hex")}`;
        schemas.push(schema);
        const store = await createEventStore({ registry: testRegistry, database: { kind: "postgres", connectionString: url ?? "" }, schema, migrate: true });
        await store.close();
        const tables = await pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'events'", [schema]);
        expect(tables.rows[0]?.n, schema).toBe("1");
      }
    } finally {
      done = true;
      await Promise.all(churning);
    }
  });
});

describeEachBackend("schema-scoped introspection", (backend) => {
  it("lists the schema's tables and columns as Kysely's own introspector does, and nothing of other schemas", async () => {
    const schema = backend.freshSchema();
    await backend.createStore(testRegistry, { schema });
    const other = backend.freshSchema();
    await backend.query(`CREATE SCHEMA "${other}"`);
    await backend.query(`CREATE TABLE "${other}".events (n int)`);
    const shape = (tables: readonly TableMetadata[]) =>
      tables.map(({ name, schema: of, isView, isForeign, columns }) => ({
        name,
        of,
        isView,
        isForeign,
        columns: columns.map(({ name: column, dataType, isNullable, isAutoIncrementing, hasDefaultValue }) => ({ column, dataType, isNullable, isAutoIncrementing, hasDefaultValue })),
      }));
    const storage = createStorage(backend.database());
    await storage.withKysely(async (db) => {
      const scoped = withSchemaScopedIntrospection(db, schema).introspection;
      const tables = await scoped.getTables({ withInternalKyselyTables: true });
      expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["events", "streams", "event_ids", "strata_migrations", "strata_migrations_lock"]));
      expect(shape(tables)).toEqual(shape((await db.introspection.getTables({ withInternalKyselyTables: true })).filter((table) => table.schema === schema)));
      expect(await scoped.getSchemas()).toEqual([{ name: schema }]);
    });
  });
});
