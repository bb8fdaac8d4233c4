/**
 * The SQL of scaled-out projections' bookkeeping (tables of migrations 0007 and 0009): partitions
 * with their checkpoints, leases and failure records, and the live workers of each projection.
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { partitionOfSql } from "./partition-statements.js";

/** One partition's row. */
export interface PartitionRow {
  readonly partition: number;
  readonly partitions: number;
  readonly checkpoint: string | null;
  readonly events_applied: string;
  readonly lease_owner: string | null;
  readonly lease_valid: boolean;
  /** The event the partition stopped at (`onExhausted: "stop"`); NULL while it runs. */
  readonly failed_event_id: string | null;
  readonly failed_event_type: string | null;
  readonly failed_checkpoint: string | null;
  readonly failed_attempts: number | null;
  readonly failed_error: string | null;
}

/** What a partition that stopped records. */
export interface PartitionFailure {
  readonly eventId: string;
  readonly eventType: string;
  /** The failed event's own checkpoint: a skip moves the partition's checkpoint there. */
  readonly checkpoint: string;
  readonly attempts: number;
  /** The error's class and code, never its message. */
  readonly error: string;
}

/** The bookkeeping statements for the store's `schema`. */
export function partitionBook(schema: string) {
  const partitions = sql.table(`${schema}.projection_partitions`);
  const workers = sql.table(`${schema}.projection_workers`);
  const columns = sql`partition, partitions, checkpoint, events_applied::text AS events_applied, lease_owner,
    (lease_owner IS NOT NULL AND lease_expires_at > now()) AS lease_valid,
    failed_event_id, failed_event_type, failed_checkpoint, failed_attempts, failed_error`;
  const skips = sql.table(`${schema}.projection_skips`);
  return {
    /** Creates the partition rows when missing; returns the partition count already stored, if any. */
    async ensure(db: Kysely<unknown>, name: string, count: number): Promise<number> {
      await sql`INSERT INTO ${partitions} (name, partition, partitions)
        SELECT ${name}, p, ${count} FROM generate_series(0, ${count - 1}) AS p ON CONFLICT (name, partition) DO NOTHING`.execute(db);
      const { rows } = await sql<{ partitions: number }>`SELECT DISTINCT partitions FROM ${partitions} WHERE name = ${name}`.execute(db);
      return rows.length === 1 ? (rows[0]?.partitions ?? count) : -1;
    },
    /** Renews this worker's membership and returns the ids of every live worker. */
    async heartbeat(db: Kysely<unknown>, name: string, worker: string, leaseMs: number): Promise<readonly string[]> {
      await sql`INSERT INTO ${workers} (name, worker, expires_at) VALUES (${name}, ${worker}, now() + ${leaseMs} * interval '1 millisecond')
        ON CONFLICT (name, worker) DO UPDATE SET expires_at = excluded.expires_at`.execute(db);
      const { rows } = await sql<{ worker: string }>`SELECT worker FROM ${workers} WHERE name = ${name} AND expires_at > now() ORDER BY worker`.execute(db);
      return rows.map((row) => row.worker);
    },
    /** Leaves: the membership row goes, so the others rebalance at once. */
    async leave(db: Kysely<unknown>, name: string, worker: string): Promise<void> {
      await sql`DELETE FROM ${workers} WHERE name = ${name} AND worker = ${worker}`.execute(db);
    },
    /** Takes the leases of `wanted` that are free, expired or already this worker's; returns those it holds. */
    async acquire(db: Kysely<unknown>, name: string, worker: string, wanted: readonly number[], leaseMs: number): Promise<readonly number[]> {
      if (wanted.length === 0) return [];
      const { rows } = await sql<{ partition: number }>`UPDATE ${partitions}
        SET lease_owner = ${worker}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
        WHERE name = ${name} AND partition = ANY(${[...wanted]}::int[])
          AND (lease_owner IS NULL OR lease_owner = ${worker} OR lease_expires_at <= now())
        RETURNING partition`.execute(db);
      return rows.map((row) => row.partition).sort((a, b) => a - b);
    },
    /** Gives back the leases of `released` that this worker holds. */
    async release(db: Kysely<unknown>, name: string, worker: string, released: readonly number[]): Promise<void> {
      if (released.length === 0) return;
      await sql`UPDATE ${partitions} SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE name = ${name} AND partition = ANY(${[...released]}::int[]) AND lease_owner = ${worker}`.execute(db);
    },
    /** Locks one partition's row for a batch (serialises every batch of the partition, whoever runs it). */
    async lock(db: Kysely<unknown>, name: string, partition: number): Promise<PartitionRow | undefined> {
      const { rows } = await sql<PartitionRow>`SELECT ${columns} FROM ${partitions} WHERE name = ${name} AND partition = ${partition} FOR UPDATE`.execute(db);
      return rows[0];
    },
    /** Moves a partition's checkpoint (in the batch's transaction) and renews its lease. */
    async commit(db: Kysely<unknown>, name: string, partition: number, checkpoint: string, applied: number, leaseMs: number): Promise<void> {
      await sql`UPDATE ${partitions} SET checkpoint = ${checkpoint}, events_applied = events_applied + ${applied},
        lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
        WHERE name = ${name} AND partition = ${partition}`.execute(db);
    },
    /** Stops a partition at a failed event: it applies nothing until {@link resume} or {@link skip}. */
    async markFailed(db: Kysely<unknown>, name: string, partition: number, failure: PartitionFailure): Promise<void> {
      await sql`UPDATE ${partitions} SET failed_event_id = ${failure.eventId}, failed_event_type = ${failure.eventType},
        failed_checkpoint = ${failure.checkpoint}, failed_attempts = ${failure.attempts}, failed_error = ${failure.error},
        failed_at = clock_timestamp(), updated_at = now()
        WHERE name = ${name} AND partition = ${partition}`.execute(db);
    },
    /** Resumes stopped partitions (every one, or those listed): their failed events are tried again. Returns those resumed. */
    async resume(db: Kysely<unknown>, name: string, only?: readonly number[]): Promise<readonly number[]> {
      const { rows } = await sql<{ partition: number }>`UPDATE ${partitions} SET failed_event_id = NULL, failed_event_type = NULL,
        failed_checkpoint = NULL, failed_attempts = NULL, failed_error = NULL, failed_at = NULL, updated_at = now()
        WHERE name = ${name} AND failed_event_id IS NOT NULL AND (${only === undefined}::boolean OR partition = ANY(${[...(only ?? [])]}::int[]))
        RETURNING partition`.execute(db);
      return rows.map((row) => row.partition).sort((a, b) => a - b);
    },
    /** Records a stopped partition's failed event in `projection_skips` and moves its checkpoint just past it (the row is locked by the caller). */
    async skip(db: Kysely<unknown>, name: string, row: PartitionRow): Promise<void> {
      await sql`INSERT INTO ${skips} (name, event_id, event_type, checkpoint, error)
        VALUES (${name}, ${row.failed_event_id}, ${row.failed_event_type}, ${row.failed_checkpoint}, ${row.failed_error})
        ON CONFLICT (name, event_id) DO NOTHING`.execute(db);
      await sql`UPDATE ${partitions} SET checkpoint = ${row.failed_checkpoint} WHERE name = ${name} AND partition = ${row.partition}`.execute(db);
    },
    /** Locks the row of the partition `streamId` belongs to (of `count`): serialises a dead-letter retry with that partition's batches. */
    async lockStream(db: Kysely<unknown>, name: string, streamId: string, count: number): Promise<void> {
      await sql`SELECT p.partition FROM ${partitions} p, (SELECT ${streamId}::text AS stream_id) s
        WHERE p.name = ${name} AND p.partition = ${sql.raw(partitionOfSql("s.stream_id", count))} FOR UPDATE OF p`.execute(db);
    },
    /** Locks every partition row of `name`, in order: no batch of any worker runs until the transaction ends. */
    async lockAll(db: Kysely<unknown>, name: string): Promise<readonly PartitionRow[]> {
      const { rows } = await sql<PartitionRow>`SELECT ${columns} FROM ${partitions} WHERE name = ${name} ORDER BY partition FOR UPDATE`.execute(db);
      return rows;
    },
    /** Back to the start for a rebuild: no checkpoint, nothing applied, no failure; leases stay with their holders. */
    async reset(db: Kysely<unknown>, name: string): Promise<void> {
      await sql`UPDATE ${partitions} SET checkpoint = NULL, events_applied = 0, failed_event_id = NULL, failed_event_type = NULL,
        failed_checkpoint = NULL, failed_attempts = NULL, failed_error = NULL, failed_at = NULL, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /** Every partition of `name`, in order. */
    async list(db: Kysely<unknown>, name: string): Promise<readonly PartitionRow[]> {
      const { rows } = await sql<PartitionRow>`SELECT ${columns} FROM ${partitions} WHERE name = ${name} ORDER BY partition`.execute(db);
      return rows;
    },
  };
}

/** The statements of {@link partitionBook}. */
export type PartitionBook = ReturnType<typeof partitionBook>;
