import { Kysely, PostgresDialect } from "kysely";
import type { CompiledQuery, QueryResult } from "kysely";
import pg from "pg";
import { wrapped } from "./driver-errors.js";
import { preparedName } from "./prepared-statements.js";
import type { ArrayRows, QueryRunner, Storage, StorageCapabilities } from "./storage.js";

/** How to reach a PostgreSQL server: a connection string (the storage owns the pool) or a pool you own. */
export type PostgresConnection =
  | { readonly connectionString: string; readonly poolSize?: number }
  | { readonly pool: pg.Pool };

const DEFAULT_POOL_SIZE = 10;

/** A column as `pg` describes it in a result. */
interface ResultField {
  readonly name: string;
}

/** Builds row objects from `pg`'s array rows: one object literal with the result's columns as keys. */
type RowBuilder = (values: readonly unknown[]) => Record<string, unknown>;

const rowBuilders = new Map<string, RowBuilder>();

/**
 * The row builder for a result's columns, compiled once per column list. `pg`'s own object rows
 * copy a prebuilt dictionary and then store each column by a computed key; an object literal of
 * fixed shape built from the array row costs about a third of that per row. The object is the
 * same: the columns as own enumerable properties in select order, a later duplicate name winning.
 */
function rowBuilder(fields: readonly ResultField[]): RowBuilder {
  const key = fields.map((field) => field.name).join("\u0000");
  let build = rowBuilders.get(key);
  if (build === undefined) {
    // Names are quoted by JSON.stringify; `__proto__` as a computed key, so it stays a column.
    const properties = fields
      .map((field, index) => `${field.name === "__proto__" ? '["__proto__"]' : JSON.stringify(field.name)}: values[${index}]`)
      .join(", ");
    build = new Function("values", `return { ${properties} };`) as RowBuilder;
    if (rowBuilders.size < 1000) rowBuilders.set(key, build);
  }
  return build;
}

/** Storage on a PostgreSQL server through a `pg` pool and Kysely's `PostgresDialect`. */
export function createPostgresStorage(connection: PostgresConnection): Storage {
  const ownsPool = !("pool" in connection);
  const pool =
    "pool" in connection
      ? connection.pool
      : new pg.Pool({ connectionString: connection.connectionString, max: connection.poolSize ?? DEFAULT_POOL_SIZE });
  if (ownsPool) {
    // A connection the server drops (restart, failover, pg_terminate_backend) emits 'error' on its
    // client, and an idle one on the pool too; unheard, either ends the process. The statement in
    // flight, if any, rejects with the error itself, and the pool replaces the connection.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
  }
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const capabilities: StorageCapabilities = {
    concurrentConnections: pool.options.max ?? DEFAULT_POOL_SIZE,
    supportsListenNotify: true,
    maxParameters: 65_535,
  };

  /**
   * A registered statement runs prepared (unregistered: unnamed), on a client checked out and
   * released cleanly: a statement error (a unique violation) must not cost the connection, which
   * `pool.query()` would. Rows arrive as arrays (`rowMode: 'array'`).
   */
  const executeArrayResult = async (name: string | undefined, query: CompiledQuery): Promise<pg.QueryResult<unknown[]>> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const values = query.parameters as unknown[];
      return await client.query<unknown[]>(name === undefined ? { text: query.sql, values, rowMode: "array" } : { name, text: query.sql, values, rowMode: "array" });
    } catch (error) {
      // No SQLSTATE: the connection itself failed, so the pool must not hand it out again.
      if (typeof (error as { code?: unknown }).code !== "string" || !/^[0-9A-Z]{5}$/.test((error as { code: string }).code)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  };

  const executePrepared = async <R>(name: string, query: CompiledQuery): Promise<QueryResult<R>> => {
    const result = await executeArrayResult(name, query);
    const build = rowBuilder(result.fields);
    const rows = new Array<R>(result.rows.length);
    for (let index = 0; index < rows.length; index++) rows[index] = build(result.rows[index] as unknown[]) as R;
    return { rows };
  };

  const executeArrays = async (query: CompiledQuery): Promise<ArrayRows> => {
    const result = await executeArrayResult(preparedName(query.sql), query);
    return { rows: result.rows };
  };

  return {
    capabilities,
    execute: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      const name = preparedName(query.sql);
      return wrapped(() => (name === undefined ? db.executeQuery<R>(query) : executePrepared<R>(name, query)));
    },
    executeArrays: (query: CompiledQuery): Promise<ArrayRows> => wrapped(() => executeArrays(query)),
    transaction: <T>(work: (tx: QueryRunner) => Promise<T>): Promise<T> =>
      wrapped(() =>
        db.transaction().execute((trx) => work({ execute: <R>(query: CompiledQuery) => wrapped(() => trx.executeQuery<R>(query)) })),
      ),
    withKysely: <T>(work: (kysely: Kysely<unknown>) => Promise<T>): Promise<T> => work(db),
    close: async () => {
      // Kysely's destroy ends the pool; a pool passed in belongs to the caller.
      if (ownsPool) await db.destroy();
    },
  };
}
