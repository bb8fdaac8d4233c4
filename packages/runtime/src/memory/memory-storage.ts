/**
 * What an in-memory event store keeps: streams, the events in append order and an index of event
 * ids. A plain object, so two stores (for example one built with a newer registry, to read old
 * events upcast) can share it the way two stores share a database.
 *
 * @module
 */
import type { EventRow } from "../store/event-rows.js";

/** A stored event: the row shape the PostgreSQL store reads, plus its stream. */
export interface MemoryEventRow extends EventRow {
  readonly stream_id: string;
  readonly version: number;
  readonly global_position: number;
}

/** One stream's row. */
export interface MemoryStreamRow {
  version: number;
  deleted: boolean;
  readonly createdAt: Date;
  /** Indexes into {@link MemoryEventStorage.events}, in version order. */
  readonly positions: number[];
}

/** The state of one or more in-memory event stores. Create it with {@link createMemoryEventStorage}. */
export interface MemoryEventStorage {
  readonly kind: "memory";
  /** Every event in the global order; an event's global position is its index + 1. */
  readonly events: MemoryEventRow[];
  readonly streams: Map<string, MemoryStreamRow>;
  /** Event id → index into `events`. */
  readonly byId: Map<string, number>;
}

/**
 * An empty in-memory storage, to share between stores.
 *
 * @example
 * ```ts
 * const storage = createMemoryEventStorage();
 * const v1 = createMemoryEventStore({ registry: registryV1, storage });
 * const v2 = createMemoryEventStore({ registry: registryV2, storage }); // reads v1 events upcast
 * ```
 */
export function createMemoryEventStorage(): MemoryEventStorage {
  return { kind: "memory", events: [], streams: new Map(), byId: new Map() };
}

/**
 * A JSON copy, as a database column would hold it: stored data can be neither changed by the
 * caller afterwards nor hold what JSON cannot (`undefined` fields vanish, as they do in jsonb).
 */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
