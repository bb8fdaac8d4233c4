/**
 * The partitions of a partitioned events table: creating them ahead of the global-position
 * sequence, and listing them. See docs/scaling.md for when to partition and how to archive.
 *
 * Why partitions are made as plain tables and then attached: `CREATE TABLE … PARTITION OF` takes
 * an ACCESS EXCLUSIVE lock on `events`, which would queue behind any append transaction held open
 * and make every later append and read queue behind it. `ATTACH PARTITION` takes only SHARE
 * UPDATE EXCLUSIVE on `events`, which appends (ROW EXCLUSIVE) and reads (ACCESS SHARE) never
 * conflict with, so the store rolls over to new partitions under load and with transactions open.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner, Storage } from "../storage/storage.js";
import { quoteIdentifier } from "../store/statements.js";

/** First half of the advisory-lock key that serialises partition maintenance: "STRP". */
const PARTITIONS_LOCK_CLASS = 0x53545250;

/** A partition of the events table. */
export interface EventPartition {
  /** The partition's table, in the store's schema. */
  readonly table: string;
  /** Its range of global positions, as PostgreSQL prints it (`FOR VALUES FROM ('1000') TO ('2000')`). */
  readonly bounds: string;
}

/** The qualified names the partitioning statements use. */
export function partitioningNames(schema: string) {
  const q = quoteIdentifier(schema);
  return {
    events: `${q}.events`,
    settings: `${q}.events_partitioning`,
    partition: (lower: bigint) => `${q}.${quoteIdentifier(partitionTableName(lower))}`,
  };
}

/** The table name of the partition starting at `lower`: zero-padded so names sort by range. */
export function partitionTableName(lower: bigint): string {
  return `events_p${lower.toString().padStart(19, "0")}`;
}

const run = async <R>(runner: QueryRunner, text: string, parameters: readonly unknown[] = []): Promise<readonly R[]> =>
  (await runner.execute<R>(CompiledQuery.raw(text, [...parameters]))).rows;

/** The lock key of `schema`'s partition maintenance (its second half: the schema's oid). */
function lockSql(schema: string): string {
  return `SELECT pg_advisory_xact_lock(${PARTITIONS_LOCK_CLASS}, (SELECT (oid::bigint % 2147483647)::int FROM pg_namespace WHERE nspname = '${schema.replaceAll("'", "''")}'))`;
}

/**
 * Creates partitions until they cover `partitions_ahead` partitions beyond the last global
 * position handed out (plus `headroom` positions: an append that is about to need them), all in
 * one transaction; returns how many it created. Safe to run from several processes at once (an
 * advisory lock serialises them) and a no-op on a store that is not partitioned (returns 0).
 */
export async function ensureEventPartitions(storage: Storage, schema: string, headroom = 0): Promise<number> {
  const names = partitioningNames(schema);
  const partitioned = await run<{ found: boolean }>(storage, "SELECT to_regclass($1) IS NOT NULL AS found", [names.settings]);
  if (partitioned[0]?.found !== true) return 0;
  // Every missing partition in one transaction: one commit (one fsync) however far behind it is.
  return storage.transaction(async (tx) => {
    await run(tx, lockSql(schema));
    const [settings] = await run<{ size: string; ahead: number; until: string; last: string | null }>(
      tx,
      `SELECT partition_size::text AS size, partitions_ahead AS ahead, created_until::text AS until,
         pg_sequence_last_value(pg_get_serial_sequence($1, 'global_position')::regclass)::text AS last
       FROM ${names.settings}`,
      [names.events],
    );
    if (settings === undefined) return 0;
    const size = BigInt(settings.size);
    const start = BigInt(settings.until);
    const goal = BigInt(settings.last ?? "0") + BigInt(headroom) + BigInt(settings.ahead) * size;
    let until = start;
    while (until <= goal) {
      const table = names.partition(until);
      const name = partitionTableName(until);
      await run(tx, `CREATE TABLE ${table} (LIKE ${names.events} INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION)`);
      // The primary key of 0001, per partition (the parent cannot have it: a partitioned table's
      // unique index must contain global_position). Versions stay unique across partitions through
      // the streams row every append updates; ids are unique, and found, through event_ids (0008).
      await run(tx, `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdentifier(`${name}_pkey`)} PRIMARY KEY (stream_id, version)`);
      await run(tx, `ALTER TABLE ${names.events} ATTACH PARTITION ${table} FOR VALUES FROM (${until}) TO (${until + size})`);
      until += size;
    }
    if (until !== start) await run(tx, `UPDATE ${names.settings} SET created_until = ${until}`);
    return Number((until - start) / size);
  });
}

/** The partitions of the events table in range order; empty when it is not partitioned. */
export async function listEventPartitions(storage: QueryRunner, schema: string): Promise<readonly EventPartition[]> {
  const rows = await run<{ table: string; bounds: string }>(
    storage,
    `SELECT c.relname AS table, pg_get_expr(c.relpartbound, c.oid) AS bounds
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass($1)
     ORDER BY c.relname = 'events_legacy' DESC, c.relname`,
    [partitioningNames(schema).events],
  );
  return rows.map((row) => ({ table: row.table, bounds: row.bounds }));
}

/** The advisory lock statement, for the conversion (same key as maintenance). */
export const maintenanceLockSql = lockSql;
