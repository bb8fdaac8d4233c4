/**
 * The databases the aggregate layer's integration tests run on: PGlite always, the PostgreSQL
 * server too when `DATABASE_URL` is set. Each opened backend gets its own random schema, and
 * shares one storage between the event store and the snapshot store, as an application does.
 */
import { CompiledQuery } from "kysely";
import { migrateStorage } from "../../migrations/migrate.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../../registry.js";
import { createPostgresSnapshotStore } from "../../snapshots/postgres-snapshot-store.js";
import type { PostgresSnapshotStore } from "../../snapshots/postgres-snapshot-store.js";
import { createStorage } from "../../storage/create-storage.js";
import type { DatabaseConfig } from "../../storage/create-storage.js";
import type { Storage } from "../../storage/storage.js";
import { openEventStore } from "../../store/create-event-store.js";
import type { EventStore } from "../../store/event-store.js";

/** One database to run a test file against. */
export interface AggregateBackend {
  readonly name: "pglite" | "postgres";
  readonly database: DatabaseConfig;
}

/** PGlite, plus the server when `DATABASE_URL` is set. */
export const aggregateBackends: readonly AggregateBackend[] = [
  { name: "pglite", database: { kind: "pglite" } },
  ...(process.env["DATABASE_URL"] === undefined || process.env["DATABASE_URL"] === ""
    ? []
    : [{ name: "postgres" as const, database: { kind: "postgres" as const, connectionString: process.env["DATABASE_URL"], poolSize: 12 } }]),
];

/** An opened backend: an event store and a snapshot store on one storage, in a fresh schema. */
export interface OpenedBackend<E extends EventShape, R extends EventShape = E> {
  readonly store: EventStore<E, R>;
  readonly snapshots: PostgresSnapshotStore;
  readonly storage: Storage;
  readonly schema: string;
  /** Runs one SQL statement (for tests that tamper with snapshot rows). */
  sql(text: string, params?: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  /** Drops the schema (server) and closes the storage. */
  close(): Promise<void>;
}

/** Opens `backend` with a new random schema, migrated, with the snapshot tables created. */
export async function openAggregateBackend<R extends EventRegistry<EventShape>>(
  backend: AggregateBackend,
  registry: R,
): Promise<OpenedBackend<RegistryEvent<R>, RegistryReadEvent<R>>> {
  const schema = `agg_test_${Math.random().toString(36).slice(2, 10)}`;
  const storage = createStorage(backend.database);
  await migrateStorage(storage, schema);
  const snapshots = createPostgresSnapshotStore({ storage, schema });
  await snapshots.ensureSchema();
  const store = openEventStore(storage, registry, schema) as unknown as EventStore<RegistryEvent<R>, RegistryReadEvent<R>>;
  return {
    store,
    snapshots,
    storage,
    schema,
    sql: async (text, params = []) => (await storage.execute<Record<string, unknown>>(CompiledQuery.raw(text, [...params]))).rows,
    close: async () => {
      await storage.execute(CompiledQuery.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await store.close();
    },
  };
}
