/**
 * The global-order read of one partition of a scaled-out projection: the store's readAll (or a
 * standby's) with one more condition, that the stream hashes to the partition. A stream lives in
 * exactly one partition, so each partition reads its streams' events in global order and
 * per-stream order holds. The filter runs in SQL: a partition never transfers other partitions'
 * events.
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Statements } from "../../store/statements.js";

const ORDER = "ORDER BY transaction_id, global_position LIMIT $3::int";

/**
 * The partition of a stream, in SQL: `hashtextextended` is PostgreSQL's own 64-bit text hash
 * (the one hash partitioning uses), the same on every server, platform and version since 11.
 */
export function partitionOfSql(column: string, partitions: number): string {
  return `((hashtextextended(${column}, 0) % ${partitions} + ${partitions}) % ${partitions})`;
}

/** `statements` with readAll narrowed to the streams of `partition` (of `partitions`). */
export function partitionStatements(statements: Statements, partitions: number, partition: number): Statements {
  if (!(Number.isSafeInteger(partitions) && partitions > 0 && Number.isSafeInteger(partition) && partition >= 0 && partition < partitions)) {
    throw new RangeError(`partition ${partition} of ${partitions}`);
  }
  if (!statements.readAll.includes(ORDER)) throw new Error("partition statements: readAll no longer ends its scan with the global order");
  return { ...statements, readAll: statements.readAll.replace(ORDER, `AND ${partitionOfSql("stream_id", partitions)} = ${partition}\n        ${ORDER}`) };
}

/**
 * Gives the planner the distribution of the partition expression over `events` (extended
 * statistics on the expression, PostgreSQL 14+), and ANALYZEs once when they are new. Why:
 * without them the planner guesses that `partition = p` keeps a fraction of a percent of the rows
 * instead of 1/N, and reads a partition's page with a bitmap scan and a sort of every event after
 * the checkpoint (30 ms a page at 100,000 events, growing with the table) instead of walking the
 * global-order index until the page is full (1 ms). Statistics cost nothing on appends, unlike an
 * index on the expression.
 */
export async function ensurePartitionStatistics(db: Kysely<unknown>, schema: string, partitions: number): Promise<void> {
  const statistics = `events_partition_${partitions}`;
  const { rows } = await sql<{ found: number }>`SELECT 1 AS found FROM pg_statistic_ext WHERE stxname = ${statistics} AND stxnamespace = ${schema}::regnamespace`.execute(db);
  if (rows.length > 0) return;
  const events = sql.table(`${schema}.events`);
  await sql`CREATE STATISTICS IF NOT EXISTS ${sql.table(`${schema}.${statistics}`)} ON (${sql.raw(partitionOfSql("stream_id", partitions))}) FROM ${events}`.execute(db);
  await sql`ANALYZE ${events}`.execute(db);
}
