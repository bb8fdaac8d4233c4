import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect } from "kysely";
import type { CompiledQuery, QueryResult } from "kysely";
import { Mutex } from "../internal/mutex.js";
import { wrapped } from "./driver-errors.js";
import { isDiskDataDir, restrictDataDir } from "./private-data-dir.js";
import type { QueryRunner, Storage, StorageCapabilities } from "./storage.js";

/** Where the embedded database lives: in memory (no `dataDir`), in a directory, or an instance you own. */
export type PGliteConnection = { readonly dataDir?: string } | { readonly instance: PGlite };

/**
 * Embedded storage on PGlite through Kysely's `PGliteDialect`. A `dataDir` on disk is kept
 * private: directories 0700, files 0600 (see `private-data-dir.ts`). PGlite has one connection, so
 * statements and transactions run one at a time. PGlite (0.5) keeps other callers' statements out
 * of an open transaction and Kysely serialises single-connection dialects; this storage's own
 * queue states the contract here rather than relying on both, and also covers `withKysely` (the
 * migrator's session). Inside `transaction`, use only the `tx` runner.
 */
export function createPGliteStorage(connection: PGliteConnection): Storage {
  const ownsInstance = !("instance" in connection);
  const dataDir = "instance" in connection ? undefined : connection.dataDir;
  if (isDiskDataDir(dataDir)) restrictDataDir(dataDir);
  const instance = "instance" in connection ? connection.instance : new PGlite(dataDir);
  // Files PGlite's first start created (a new cluster) get 0600 as soon as it is ready.
  if (isDiskDataDir(dataDir)) void instance.waitReady.then(() => restrictDataDir(dataDir)).catch(() => undefined);
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: instance }) });
  const queue = new Mutex();
  const capabilities: StorageCapabilities = { concurrentConnections: 1, supportsListenNotify: false, maxParameters: 65_535 };

  return {
    capabilities,
    execute: <R>(query: CompiledQuery): Promise<QueryResult<R>> => queue.run(() => wrapped(() => db.executeQuery<R>(query))),
    transaction: <T>(work: (tx: QueryRunner) => Promise<T>): Promise<T> =>
      queue.run(() =>
        wrapped(() =>
          db.transaction().execute((trx) => work({ execute: <R>(query: CompiledQuery) => wrapped(() => trx.executeQuery<R>(query)) })),
        ),
      ),
    withKysely: <T>(work: (kysely: Kysely<unknown>) => Promise<T>): Promise<T> => queue.run(() => work(db)),
    close: async () => {
      if (ownsInstance) await queue.run(() => db.destroy());
      if (ownsInstance && isDiskDataDir(dataDir)) restrictDataDir(dataDir);
    },
  };
}
