/**
 * A throwaway event store for tests, with a snapshot store beside it. By default both live in
 * process memory (`@strata/runtime/memory`): opening takes well under a millisecond, so create
 * one per test. `database: "pglite"` opens embedded PGlite instead (about two seconds: one per
 * test file), for tests that need SQL: projections, inline read models, migrations.
 *
 * @module
 */
import { createMemoryEventStore } from "../memory/memory-event-store.js";
import type { MemoryPersonalDataOption } from "../memory/memory-personal-data.js";
import { migrateStorage } from "../migrations/migrate.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import { createInMemorySnapshotStore } from "../snapshots/in-memory-snapshot-store.js";
import { createPostgresSnapshotStore } from "../snapshots/postgres-snapshot-store.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import { createStorage } from "../storage/create-storage.js";
import { openEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";

/** What {@link createTestStore} opens. */
export interface TestStore<E extends EventShape, R extends EventShape = E> {
  readonly store: EventStore<E, R>;
  /** Snapshots beside the store (in memory, or in the same PGlite database). */
  readonly snapshots: SnapshotStore;
  /** Closes the store and discards its data. */
  close(): Promise<void>;
}

/** Options of {@link createTestStore}. */
export interface TestStoreOptions<R extends EventRegistry<EventShape>> {
  readonly registry: R;
  /** `"memory"` (default) or `"pglite"` (in-memory PGlite, migrated). */
  readonly database?: "memory" | "pglite";
  /** Postgres schema of the tables with `"pglite"` (default `"strata"`). */
  readonly schema?: string;
  /**
   * Personal data with `"memory"`: crypto-shredding with in-memory keys by default, as
   * `createMemoryEventStore`. With `"pglite"` the events are stored as given.
   */
  readonly personalData?: MemoryPersonalDataOption;
}

/**
 * Opens an event store for a test, with the registry's events and a snapshot store.
 *
 * @example
 * ```ts
 * const { store, snapshots } = await createTestStore({ registry: shopRegistry }); // in memory
 * const db = await createTestStore({ registry: shopRegistry, database: "pglite" }); // real SQL
 * afterAll(db.close);
 * ```
 */
export async function createTestStore<R extends EventRegistry<EventShape>>(options: TestStoreOptions<R>): Promise<TestStore<RegistryEvent<R>, RegistryReadEvent<R>>> {
  if ((options.database ?? "memory") === "memory") {
    const store = createMemoryEventStore({ registry: options.registry, ...(options.personalData === undefined ? {} : { personalData: options.personalData }) });
    return { store, snapshots: createInMemorySnapshotStore(), close: () => store.close() };
  }
  const schema = options.schema ?? "strata";
  const storage = createStorage({ kind: "pglite" });
  try {
    await migrateStorage(storage, schema);
    const snapshots = createPostgresSnapshotStore({ storage, schema });
    await snapshots.ensureSchema();
    const store = openEventStore(storage, options.registry, schema) as unknown as EventStore<RegistryEvent<R>, RegistryReadEvent<R>>;
    return { store, snapshots, close: () => store.close() };
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
}
