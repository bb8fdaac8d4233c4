/**
 * The global-order read of one partition of a scaled-out projection: the store's readAll (or a
 * standby's) with one more condition, that the stream hashes to the partition. A stream lives in
 * exactly one partition, so each partition reads its streams' events in global order and
 * per-stream order holds. The filter runs in SQL: a partition never transfers other partitions'
 * events.
 *
 * @module
 */
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
