import { Kysely, PostgresDialect } from "kysely";
import type { CompiledQuery, QueryResult } from "kysely";
import pg from "pg";
import { wrapped } from "./driver-errors.js";
import { preparedName } from "./prepared-statements.js";
import type { QueryRunner, Storage, StorageCapabilities } from "./storage.js";

/** How to reach a PostgreSQL server: a connection string (the storage owns the pool) or a pool you own. */
export type PostgresConnection =
  | { readonly connectionString: string; readonly poolSize?: number }
  | { readonly pool: pg.Pool };

const DEFAULT_POOL_SIZE = 10;

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
   * A registered statement runs prepared, on a client checked out and released cleanly: a
   * statement error (a unique violation) must not cost the connection, which `pool.query()` would.
   */
  const executePrepared = async <R>(name: string, query: CompiledQuery): Promise<QueryResult<R>> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const result = await client.query({ name, text: query.sql, values: query.parameters as unknown[] });
      return { rows: result.rows as R[] };
    } catch (error) {
      // No SQLSTATE: the connection itself failed, so the pool must not hand it out again.
      if (typeof (error as { code?: unknown }).code !== "string" || !/^[0-9A-Z]{5}$/.test((error as { code: string }).code)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  };

  return {
    capabilities,
    execute: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      const name = preparedName(query.sql);
      return wrapped(() => (name === undefined ? db.executeQuery<R>(query) : executePrepared<R>(name, query)));
    },
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
