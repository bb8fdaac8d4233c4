/**
 * Keeps a partitioned events table's partitions created ahead of its appends.
 *
 * @module
 */
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { checkSchemaName, DEFAULT_SCHEMA } from "../store/create-event-store.js";
import { ensureEventPartitions, listEventPartitions } from "./event-partitions.js";
import type { EventPartition } from "./event-partitions.js";

/** Options of {@link maintainEventPartitions}. */
export interface EventPartitionMaintenanceOptions {
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string;
  /** How often to look (default 10 000 ms). Size `partitionsAhead × partitionSize` for many intervals of appends. */
  readonly intervalMs?: number;
  /** Called when a round fails (the next round tries again). */
  readonly onError?: (error: unknown) => void;
  /** Called after a round that created partitions. */
  readonly onCreated?: (count: number) => void;
}

/** A running maintenance loop; see {@link maintainEventPartitions}. */
export interface EventPartitionMaintenance {
  /** Runs one round now; resolves to the number of partitions created. */
  ensure(): Promise<number>;
  /** The events table's partitions in range order (`events_legacy` first), for monitoring and archiving. */
  partitions(): Promise<readonly EventPartition[]>;
  /** Stops the loop and closes its connections. */
  stop(): Promise<void>;
}

/**
 * Creates the events table's partitions ahead of the global-position sequence now and every
 * `intervalMs` (see `ensureEventPartitions`), outside a store. Optional: every open store does the
 * same on its own timer and heals an append that finds no partition; use this to monitor
 * (`partitions()`) or from a process that never appends. Concurrent rounds are serialised by an
 * advisory lock. Does nothing on a store whose events table is not partitioned.
 *
 * @example
 * ```ts
 * const maintenance = await maintainEventPartitions({ database: { kind: "postgres", connectionString: process.env.DATABASE_URL! } });
 * // … on shutdown
 * await maintenance.stop();
 * ```
 */
export async function maintainEventPartitions(options: EventPartitionMaintenanceOptions): Promise<EventPartitionMaintenance> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  const storage = createStorage(options.database);
  let round: Promise<number> = Promise.resolve(0);
  const ensure = (): Promise<number> => {
    round = round.catch(() => 0).then(async () => {
      const created = await ensureEventPartitions(storage, schema);
      if (created > 0) options.onCreated?.(created);
      return created;
    });
    return round;
  };
  try {
    await ensure();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const timer = setInterval(() => {
    ensure().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 10_000);
  timer.unref();
  let stopped = false;
  return {
    ensure,
    partitions: () => listEventPartitions(storage, schema),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await round.catch(() => undefined);
      await storage.close();
    },
  };
}
