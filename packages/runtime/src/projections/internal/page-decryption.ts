/**
 * Decryption of the pages a projection reads, shared by the engine's store access and the
 * scale-out workers: personal fields decrypted with the store's keys, whose look-ups run on the
 * transaction that reads the page (on PGlite that transaction holds the one connection, so a
 * look-up through the storage would wait for it forever), or on the storage outside one.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { KekProvider } from "../../crypto/kek-provider.js";
import { createPostgresKeyStore } from "../../crypto/postgres-key-store.js";
import { SubjectKeys } from "../../crypto/subject-keys.js";
import type { DekCacheOptions } from "../../crypto/subject-keys.js";
import { createStorePersonalData } from "../../erasure/store-personal-data.js";
import type { StorePersonalData } from "../../erasure/store-personal-data.js";
import type { EventRegistry } from "../../registry.js";
import type { QueryRunner } from "../../storage/storage.js";

/** The store's crypto-shredding settings, as given to `createEventStore`. */
export interface PagePersonalData {
  readonly kek: KekProvider;
  readonly cache?: DekCacheOptions;
}

/** Decryption of read pages; see the module comment. */
export interface PageDecryption {
  /** Decrypts rows (for `readAll`'s decrypt argument). */
  readonly decryptRows: StorePersonalData["decryptRows"];
  /** Runs `read` with key look-ups on `runner` (the transaction reading the page). */
  within<T>(runner: QueryRunner, read: () => Promise<T>): Promise<T>;
}

/** Page decryption for the store in `schema`; `undefined` without `personalData` (rows stay as stored). */
export function pageDecryption(storage: QueryRunner, schema: string, registry: EventRegistry, personalData: PagePersonalData | undefined): PageDecryption | undefined {
  if (personalData === undefined) return undefined;
  const current = new AsyncLocalStorage<QueryRunner>();
  const keyRunner: QueryRunner = { execute: (query) => (current.getStore() ?? storage).execute(query) };
  const keys = new SubjectKeys({
    store: createPostgresKeyStore({ storage: keyRunner, schema }),
    keks: personalData.kek,
    ...(personalData.cache === undefined ? {} : { cache: personalData.cache }),
  });
  const personal = createStorePersonalData(registry, keys, schema);
  return { decryptRows: personal.decryptRows, within: (runner, read) => current.run(runner, read) };
}
