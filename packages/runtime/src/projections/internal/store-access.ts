/**
 * The narrow adapter between the projection engine and the store's internals. Everything the
 * engine needs from `src/store` and `src/storage` goes through here, so that a change of those
 * internals touches one file:
 *
 * - a Kysely transaction (through `Storage.withKysely`, which on PGlite holds the one connection);
 * - `readAll` on that transaction, so a batch is read, applied and checkpointed atomically, with
 *   personal data decrypted when the store has `personalData` (key lookups on the same transaction);
 * - a notification listener (see `notification-listener.ts`).
 */
import { CompiledQuery } from "kysely";
import type { Kysely, Transaction } from "kysely";
import type { KekProvider } from "../../crypto/kek-provider.js";
import type { DekCacheOptions } from "../../crypto/subject-keys.js";
import { pageDecryption } from "./page-decryption.js";
import type { PageDecryption } from "./page-decryption.js";
import type { EventRegistry } from "../../registry.js";
import { migrateStorage } from "../../migrations/migrate.js";
import { wrapDriverError, wrapped } from "../../storage/driver-errors.js";
import { createStorage } from "../../storage/create-storage.js";
import type { DatabaseConfig } from "../../storage/create-storage.js";
import type { QueryRunner, Storage } from "../../storage/storage.js";
import { checkSchemaName, DEFAULT_SCHEMA } from "../../store/create-event-store.js";
import type { ReadAllPage } from "../../store/event-store.js";
import { readAll } from "../../store/read-all.js";
import { toRecordedEvent } from "../../store/event-rows.js";
import type { EventRow } from "../../store/event-rows.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { buildStatements } from "../../store/statements.js";
import type { Statements } from "../../store/statements.js";
import { createUpcastOnRead } from "../../store/upcast-on-read.js";
import type { UpcastOnRead } from "../../store/upcast-on-read.js";
import { eventsChannel } from "../../migrations/0002-projections/migration.js";
import { openNotificationListener } from "./notification-listener.js";
import { isReplicaFailure, openReplicas } from "../../replicas/replica-set.js";
import type { ReplicaConnection } from "../../replicas/replica-set.js";
import { buildStandbyStatements } from "../../replicas/standby-statements.js";
import { HandlerFailure } from "./handler-failure.js";
import { isProjectionError } from "../projection-errors.js";
import type { NotificationListener } from "./notification-listener.js";

/** What the projection engine uses of the store. */
export interface StoreAccess {
  readonly schema: string;
  readonly storage: Storage;
  /** Runs `work` in one transaction; driver errors come out as Strata errors. */
  transaction<T>(work: (trx: Transaction<unknown>) => Promise<T>): Promise<T>;
  /**
   * Reads one page of the global order inside `trx`, or, with `trx` undefined, on the pool outside
   * any transaction (where the page read runs as a prepared statement). `after` null = from the start.
   */
  readPage(trx: Kysely<unknown> | undefined, after: string | null, limit: number, types: readonly string[]): Promise<ReadAllPage>;
  /**
   * Whether a page may be read on the pool while a batch's transaction is open (more than one
   * connection): the runner then reads the next page while the current one is applied.
   */
  readonly canReadAhead: boolean;
  /** Reads the events with these ids inside `trx`, upcast and decrypted, in stream order. */
  readEvents(trx: Kysely<unknown>, ids: readonly string[]): Promise<readonly RecordedEvent[]>;
  /** Subscribes to "events were appended"; `undefined` when the backend cannot notify. */
  listen(onAppend: () => void): Promise<NotificationListener | undefined>;
  close(): Promise<void>;
}

/**
 * The events of `ids`, upcast and (with `personal`) decrypted, on `runner`: what a dead letter's
 * retry applies. Shared by the engine's store access and the scale-out workers.
 */
export async function readEventsById(
  runner: QueryRunner,
  statements: Statements,
  upcast: UpcastOnRead,
  personal: PageDecryption | undefined,
  ids: readonly string[],
): Promise<readonly RecordedEvent[]> {
  const read = async (): Promise<readonly RecordedEvent[]> => {
    const { rows } = await runner.execute<EventRow & { readonly stream_id: string }>(CompiledQuery.raw(statements.readEventsById, [[...ids]]));
    const plain = personal === undefined ? rows : await personal.decryptRows(rows);
    return plain.map((row) => toRecordedEvent(row, row.stream_id, upcast));
  };
  return personal === undefined ? read() : personal.within(runner, read);
}

/** Options shared by the engine and the admin API: where the store lives. */
export interface StoreLocation {
  /** The store's database; for PGlite pass the same `instance` as the event store's. */
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string;
  /** Bring the store schema up to date first (default `true`). */
  readonly migrate?: boolean;
  /**
   * The store's crypto-shredding settings (as given to `createEventStore`): handlers then receive
   * personal fields decrypted, and erased subjects' fields as `ERASED`. Without it, a store with
   * personal data hands handlers the encrypted envelopes.
   */
  readonly personalData?: { readonly kek: KekProvider; readonly cache?: DekCacheOptions };
  /**
   * A streaming replica (hot standby) of the store's PostgreSQL server to read pages of events
   * from; checkpoints and read models stay on the primary. A page the replica returns empty (it
   * has nothing newer, or lags) is read on the primary, so the live tail and `catchUp` never wait
   * for replay; a replica that fails is left out for 5 s. See docs/scaling.md.
   */
  readonly readReplica?: ReplicaConnection;
}

/** A QueryRunner over a Kysely transaction, with driver errors wrapped. */
export function runnerOf(db: Kysely<unknown>): QueryRunner {
  return { execute: <R>(query: CompiledQuery) => wrapped(() => db.executeQuery<R>(query)) };
}

/** Opens the storage and the statements for the engine. */
export async function openStoreAccess(location: StoreLocation, registry: EventRegistry): Promise<StoreAccess> {
  const schema = location.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  const storage = createStorage(location.database);
  try {
    if (location.migrate ?? true) await migrateStorage(storage, schema);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const statements = buildStatements(schema);
  const upcast = createUpcastOnRead(registry);
  const personal = pageDecryption(storage, schema, registry, location.personalData);
  const replicaSet = location.readReplica === undefined ? undefined : openReplicas([location.readReplica]);
  const standbyStatements = replicaSet === undefined ? undefined : buildStandbyStatements(schema);
  /** A page from the replica; `undefined` when there is none, it failed, or it had nothing (then the primary reads). */
  const replicaPage = async (options: { readonly limit: number; readonly types: readonly string[]; readonly after?: string }): Promise<ReadAllPage | undefined> => {
    const replica = replicaSet?.replicas[0];
    if (replica === undefined || standbyStatements === undefined || replica.downUntil > Date.now()) return undefined;
    try {
      // Key lookups (personal data) go to the primary's storage: outside the batch's transaction, fine on pg.
      const page = await readAll(replica.storage, standbyStatements, upcast, options, personal?.decryptRows);
      return page.events.length > 0 ? page : undefined;
    } catch (error) {
      if (!isReplicaFailure(error)) throw error;
      replica.downUntil = Date.now() + 5_000;
      return undefined;
    }
  };
  const readPage = async (trx: Kysely<unknown> | undefined, after: string | null, limit: number, types: readonly string[]): Promise<ReadAllPage> => {
    const runner = trx === undefined ? storage : runnerOf(trx);
    const options = { ...(after === null ? {} : { after }), limit, types };
    const fromReplica = await replicaPage(options);
    if (fromReplica !== undefined) return fromReplica;
    if (personal === undefined) return readAll(runner, statements, upcast, options);
    return personal.within(runner, () => readAll(runner, statements, upcast, options, personal.decryptRows));
  };
  const readEvents = (trx: Kysely<unknown>, ids: readonly string[]): Promise<readonly RecordedEvent[]> => readEventsById(runnerOf(trx), statements, upcast, personal, ids);
  return {
    schema,
    storage,
    readEvents,
    transaction: (work) =>
      storage.withKysely(async (db) => {
        try {
          return await db.transaction().execute(work);
        } catch (error) {
          // A handler's and the engine's own errors pass through as they are; the rest came from the driver.
          throw error instanceof HandlerFailure || isProjectionError(error) ? error : wrapDriverError(error);
        }
      }),
    readPage,
    canReadAhead: storage.capabilities.concurrentConnections > 1,
    listen: (onAppend) => openNotificationListener(location.database, eventsChannel(schema), onAppend),
    close: async () => {
      await replicaSet?.close();
      await storage.close();
    },
  };
}
