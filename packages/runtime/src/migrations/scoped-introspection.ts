/**
 * Kysely's migrator finds its bookkeeping tables through `db.introspection`, whose Postgres
 * introspector lists every table and column of every schema in the database and calls
 * `pg_get_serial_sequence` and `has_schema_privilege` on each by name. On a server shared with
 * other processes, a table or schema that another session drops during that listing makes the
 * whole query fail (`42P01`, `3F000`), and with it the migration of an unrelated store. The
 * migrations therefore run on a view of the Kysely instance whose introspection reads the
 * catalog of their own schema only, by its oid, with no per-object lookups by name.
 *
 * @module
 */
import { sql } from "kysely";
import type { DatabaseIntrospector, DatabaseMetadataOptions, Kysely, SchemaMetadata, TableMetadata } from "kysely";

interface ColumnRow {
  readonly table: string;
  readonly kind: string;
  readonly column: string | null;
  readonly type: string | null;
  readonly notNull: boolean | null;
  readonly hasDefault: boolean | null;
  readonly identity: string | null;
  readonly serialDefault: boolean | null;
  readonly comment: string | null;
}

/** Tables, views and their columns of one schema; other schemas are never looked at. */
class SchemaScopedIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #schema: string;

  constructor(db: Kysely<unknown>, schema: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ${this.#schema}`.execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  // The options only matter to Kysely's own introspector, which hides its migration tables
  // unless asked; the migrator always asks for them, and this view lists everything.
  async getTables(_options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      SELECT c.relname AS "table", c.relkind::text AS kind, a.attname AS "column", t.typname AS type,
             a.attnotnull AS "notNull", a.atthasdef AS "hasDefault", a.attidentity::text AS identity,
             pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' AS "serialDefault",
             pg_catalog.col_description(c.oid, a.attnum) AS comment
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = ${this.#schema}
      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relkind IN ('r', 'v', 'p', 'f')
      ORDER BY c.relname, a.attnum`.execute(this.#db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata["columns"] }>();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (table === undefined) {
        table = { name: row.table, schema: this.#schema, isView: row.kind === "v", isForeign: row.kind === "f", columns: [] };
        tables.set(row.table, table);
      }
      if (row.column === null) continue;
      table.columns.push({
        name: row.column,
        dataType: row.type ?? "",
        isNullable: row.notNull !== true,
        isAutoIncrementing: row.identity === "a" || row.identity === "d" || row.serialDefault === true,
        hasDefaultValue: row.hasDefault === true || row.identity === "a" || row.identity === "d",
        ...(row.comment === null ? {} : { comment: row.comment }),
      });
    }
    return [...tables.values()];
  }
}

/**
 * `db` as Kysely's migrator should see it when it keeps its bookkeeping in `schema`: the same
 * instance (connections, plugins, transactions), with an introspection limited to `schema`.
 */
export function withSchemaScopedIntrospection<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const introspection = new SchemaScopedIntrospector(db as Kysely<unknown>, schema);
  return new Proxy(db, {
    get(target, property) {
      if (property === "introspection") return introspection;
      // Kysely keeps its state in private fields: its methods must run on the instance itself.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
