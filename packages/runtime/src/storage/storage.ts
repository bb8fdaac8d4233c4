/**
 * The storage seam: the only place where PostgreSQL and PGlite differ. Core store code talks to
 * {@link Storage} and reads {@link StorageCapabilities}; it never names a backend.
 *
 * @module
 */
import type { CompiledQuery, Kysely, QueryResult } from "kysely";

/** What a backend can and cannot do; core code branches on these flags, never on a backend name. */
export interface StorageCapabilities {
  /** How many statements may run at the same time. PGlite: 1 (every call is serialised). */
  readonly concurrentConnections: number;
  /** Whether `LISTEN`/`NOTIFY` reach other processes (pg) or only this process (PGlite). */
  readonly supportsListenNotify: boolean;
  /** The most bind parameters one statement may carry (the Postgres protocol's limit). */
  readonly maxParameters: number;
}

/** A result as arrays: each row's values in select order (the caller knows the statement's columns). */
export interface ArrayRows {
  readonly rows: readonly (readonly unknown[])[];
}

/** Runs compiled statements; either the storage itself or an open transaction. */
export interface QueryRunner {
  execute<R>(query: CompiledQuery): Promise<QueryResult<R>>;
  /**
   * Runs a statement and returns its rows as arrays, without building an object per row; present
   * only where the driver hands out arrays more cheaply than objects (pg). Values are the same as
   * {@link QueryRunner.execute}'s.
   */
  readonly executeArrays?: (query: CompiledQuery) => Promise<ArrayRows>;
}

/** A database behind the seam. */
export interface Storage extends QueryRunner {
  readonly capabilities: StorageCapabilities;
  /**
   * Runs `work` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it
   * throws. Inside `work`, run statements through `tx` only: on a single-connection backend the
   * storage itself waits until the transaction ends.
   */
  transaction<T>(work: (tx: QueryRunner) => Promise<T>): Promise<T>;
  /**
   * Gives `work` exclusive use of the Kysely instance (for the migrator). On PGlite it holds the
   * single connection; on pg it is the pooled instance.
   */
  withKysely<T>(work: (db: Kysely<unknown>) => Promise<T>): Promise<T>;
  /** Releases what the storage opened itself; instances and pools passed in stay open. */
  close(): Promise<void>;
}
