/** How far a checkpoint is behind the head of the store, for status and health checks. */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { decodeCheckpoint } from "../../store/checkpoint.js";

/** Lag of one checkpoint. */
export interface Lag {
  /** Events of the handled types after the checkpoint. */
  readonly events: number;
  /** Age of the oldest of them, in seconds (0 when none). */
  readonly seconds: number;
}

/** Counts the handled events after `checkpoint` (null = the start). */
export async function lagOf(db: Kysely<unknown>, schema: string, checkpoint: string | null, types: readonly string[]): Promise<Lag> {
  const after = decodeCheckpoint(checkpoint ?? undefined);
  const { rows } = await sql<{ events: string | number | bigint; seconds: number | string | null }>`
    SELECT count(*) AS events, EXTRACT(EPOCH FROM clock_timestamp() - min(recorded_at))::float8 AS seconds
    FROM ${sql.table(`${schema}.events`)}
    WHERE (transaction_id, global_position) > (${after.transactionId}::xid8, ${after.position}::bigint)
      AND type = ANY(${[...types]}::text[])`.execute(db);
  const row = rows[0];
  return { events: Number(row?.events ?? 0), seconds: Math.max(0, Number(row?.seconds ?? 0)) };
}

/** The global position of the last event in the store, or null when it is empty. */
export async function headOf(db: Kysely<unknown>, schema: string): Promise<bigint | null> {
  const { rows } = await sql<{ global_position: string | number | bigint }>`
    SELECT global_position FROM ${sql.table(`${schema}.events`)} ORDER BY transaction_id DESC, global_position DESC LIMIT 1`.execute(db);
  const row = rows[0];
  return row === undefined ? null : BigInt(row.global_position);
}
