/**
 * The store's own upkeep of a partitioned events table: partitions are created ahead on a timer
 * while the store is open, and an append that finds no partition for its position (SQLSTATE 23514,
 * `no partition of relation "events" found for row`) creates it and runs again. The operator never
 * has to call `maintainEventPartitions` for appends to keep working.
 *
 * @module
 */
import { InvalidArgumentError, isStrataError } from "../errors.js";
import type { Storage } from "../storage/storage.js";
import { ensureEventPartitions } from "./event-partitions.js";

/** How often an open store makes sure partitions exist ahead (default of `partitionUpkeepMs`). */
export const DEFAULT_PARTITION_UPKEEP_MS = 10_000;

/** The `partitionUpkeepMs` option with its default; throws `InvalidArgumentError` for anything but a positive integer or `false`. */
export function checkUpkeepInterval(value: number | false | undefined): number | false {
  const interval = value ?? DEFAULT_PARTITION_UPKEEP_MS;
  if (interval !== false && !(Number.isSafeInteger(interval) && interval >= 1)) {
    throw new InvalidArgumentError(`partitionUpkeepMs must be a positive integer or false, got ${String(interval)}.`);
  }
  return interval;
}

/**
 * How many times one append heals and runs again. A heal covers the append's own events plus
 * `partitionsAhead` partitions beyond the sequence; concurrent appenders can use that headroom up
 * between the heal and the retry only when partitions are tiny (tests use a few positions).
 */
const MAX_HEALS = 3;

/**
 * Whether `error` is PostgreSQL's "no partition of relation … found for row": SQLSTATE 23514
 * (check_violation) without a constraint name, which a real CHECK constraint always has.
 */
export function isMissingPartition(error: unknown): boolean {
  return isStrataError(error, "STORE_QUERY_FAILED") && error.sqlState === "23514" && error.constraint === undefined;
}

/** Keeps a store's partitions ahead; see {@link startPartitionUpkeep}. */
export interface PartitionUpkeep {
  /**
   * Runs `work` (a whole append, or its whole transaction, writing `events` events); when it fails
   * for a missing partition, creates partitions for them and runs it again.
   */
  healing<T>(events: number, work: () => Promise<T>): Promise<T>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

/**
 * Starts the upkeep of `schema`'s events table on `storage`: a round every `intervalMs` (`false`:
 * none, appends still heal). On a table that is not partitioned a round is one catalog lookup and
 * creates nothing, so a store converted while open is kept from its next round on. Rounds of every
 * process are serialised by the maintenance advisory lock (see `ensureEventPartitions`); rounds of
 * this store one after another; a failed round is retried at the next tick.
 */
export function startPartitionUpkeep(storage: Storage, schema: string, intervalMs: number | false): PartitionUpkeep {
  let round: Promise<number> = Promise.resolve(0);
  let stopped = false;
  const ensure = (headroom = 0): Promise<number> => {
    round = round.catch(() => 0).then(() => ensureEventPartitions(storage, schema, headroom));
    return round;
  };
  const timer =
    intervalMs === false
      ? undefined
      : setInterval(() => {
          if (!stopped) ensure().catch(() => undefined);
        }, intervalMs);
  timer?.unref();
  return {
    healing: async <T>(events: number, work: () => Promise<T>): Promise<T> => {
      for (let heals = 0; ; heals += 1) {
        try {
          return await work();
        } catch (error) {
          if (!isMissingPartition(error) || heals >= MAX_HEALS || stopped) throw error;
          // Concurrent appenders that crossed the same boundary queue on the advisory lock; the
          // first creates the partitions, the others find them made (and create nothing).
          await ensure(events);
        }
      }
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      await round.catch(() => undefined);
    },
  };
}
