/**
 * Turns a store's events table into one partitioned by range of global position, in place.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import { InvalidArgumentError } from "../errors.js";
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import type { QueryRunner } from "../storage/storage.js";
import { checkSchemaName, DEFAULT_SCHEMA } from "../store/create-event-store.js";
import { ensureEventPartitions, listEventPartitions, maintenanceLockSql, partitioningNames } from "./event-partitions.js";
import type { EventPartition } from "./event-partitions.js";

/** Options of {@link partitionEventsTable}. */
export interface PartitionEventsTableOptions {
  /** The store's database (PostgreSQL 14+, or PGlite). */
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string;
  /** Global positions per partition (for example 10 000 000). */
  readonly partitionSize: number;
  /** How many partitions to keep created beyond the last position handed out (default 4). */
  readonly partitionsAhead?: number;
}

/** What {@link partitionEventsTable} did. */
export interface PartitionEventsTableReport {
  /** False when the table was already partitioned (nothing changed). */
  readonly converted: boolean;
  /** The partitions now, in range order: `events_legacy` (every event stored before) first. */
  readonly partitions: readonly EventPartition[];
}

const run = async (runner: QueryRunner, text: string): Promise<void> => void (await runner.execute(CompiledQuery.raw(text)));

/**
 * Converts the store's `events` table into a table partitioned by range of `global_position`,
 * then creates the first partitions ahead. The existing table becomes the first partition,
 * `events_legacy`, covering every position up to the next multiple of `partitionSize` (no row is
 * copied); new partitions of `partitionSize` positions follow. Appends, reads, idempotency and the
 * global order are unchanged: the same statements run against the partitioned table.
 *
 * Runs in one transaction holding an ACCESS EXCLUSIVE lock on `events`: appends and reads wait
 * until it commits, for as long as attaching takes to scan the existing rows once (it checks that
 * they fall in the first partition's range); no index is rebuilt. Keys: a partitioned table's
 * unique index must contain the partition key, so `(stream_id, version)` stays unique per
 * partition (the old table keeps its primary key, each new partition gets its own); across
 * partitions, versions stay unique through the `streams` row every append updates, and ids are
 * unique through `event_ids` (store migration 0008). Plan it like any migration that locks the
 * table. Idempotent: on a partitioned table it only reports.
 *
 * Afterwards every open store keeps partitions created ahead (its `partitionUpkeepMs` timer), and
 * an append whose position has no partition creates it and runs again; `maintainEventPartitions`
 * does the same upkeep outside a store.
 *
 * @example
 * ```ts
 * await partitionEventsTable({ database: { kind: "postgres", connectionString: process.env.DATABASE_URL! }, partitionSize: 10_000_000 });
 * ```
 */
export async function partitionEventsTable(options: PartitionEventsTableOptions): Promise<PartitionEventsTableReport> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  const size = options.partitionSize;
  const ahead = options.partitionsAhead ?? 4;
  if (!(Number.isSafeInteger(size) && size >= 1)) throw new InvalidArgumentError(`partitionSize must be a positive integer, got ${size}.`);
  if (!(Number.isSafeInteger(ahead) && ahead >= 1 && ahead <= 1000)) throw new InvalidArgumentError(`partitionsAhead must be an integer from 1 to 1000, got ${ahead}.`);
  const names = partitioningNames(schema);
  const storage = createStorage(options.database);
  try {
    const converted = await storage.transaction(async (tx) => {
      await run(tx, maintenanceLockSql(schema));
      const kind = await tx.execute<{ kind: string | null }>(CompiledQuery.raw("SELECT (SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)) AS kind", [names.events]));
      const relkind = kind.rows[0]?.kind ?? null;
      if (relkind === null) throw new InvalidArgumentError(`Schema "${schema}" has no events table; open the store (or run strata migrate) first.`);
      if (relkind === "p") return false;
      await run(tx, `LOCK TABLE ${names.events} IN ACCESS EXCLUSIVE MODE`);
      const last = await tx.execute<{ last: string | null; sequence: string }>(
        CompiledQuery.raw(
          `SELECT pg_sequence_last_value(pg_get_serial_sequence($1, 'global_position')::regclass)::text AS last, pg_get_serial_sequence($1, 'global_position') AS sequence`,
          [names.events],
        ),
      );
      const sequence = last.rows[0]?.sequence ?? "";
      const boundary = (BigInt(last.rows[0]?.last ?? "0") / BigInt(size) + 1n) * BigInt(size);
      const legacy = `${names.events.slice(0, -"events".length)}events_legacy`;
      await run(tx, `ALTER TABLE ${names.events} RENAME TO events_legacy`);
      // LIKE copies every column as it is now (with its collation, NOT NULL and default, the
      // sequence's nextval included), so later columns of the events table carry over too.
      await run(tx, `CREATE TABLE ${names.events} (LIKE ${legacy} INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE (global_position)`);
      // The sequence must belong to the table that stays: a detached and dropped legacy partition would take it along.
      await run(tx, `ALTER SEQUENCE ${sequence} OWNED BY ${names.events}.global_position`);
      // Only the global order is a partitioned index: it matches the old table's events_global_order,
      // which attaching adopts as it is. The per-stream key stays per partition (the old table keeps
      // events_pkey; new partitions get their own); ids are unique through event_ids (0008).
      await run(tx, `CREATE INDEX events_global_order_p ON ${names.events} (transaction_id, global_position)`);
      await run(tx, `ALTER TABLE ${names.events} ATTACH PARTITION ${legacy} FOR VALUES FROM (MINVALUE) TO (${boundary})`);
      await run(
        tx,
        `CREATE TABLE ${names.settings} (
          singleton boolean NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
          partition_size bigint NOT NULL CHECK (partition_size > 0),
          partitions_ahead integer NOT NULL CHECK (partitions_ahead > 0),
          created_until bigint NOT NULL
        )`,
      );
      await run(tx, `INSERT INTO ${names.settings} (partition_size, partitions_ahead, created_until) VALUES (${size}, ${ahead}, ${boundary})`);
      return true;
    });
    await ensureEventPartitions(storage, schema);
    return { converted, partitions: await listEventPartitions(storage, schema) };
  } finally {
    await storage.close();
  }
}
