/** SQL over `projection_dead_letters` (migration 0007); see `../dead-letter.ts`. */
import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { RecordedEvent } from "../../store/recorded-event.js";
import type { DeadLetter } from "../dead-letter.js";

interface DeadLetterRow {
  readonly name: string;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: string | number | bigint;
  readonly event_type: string;
  readonly global_position: string | number | bigint;
  readonly status: "failed" | "parked";
  readonly attempts: number;
  readonly error_code: string | null;
  readonly error: string | null;
  readonly dead_lettered_at: Date;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    projection: row.name,
    eventId: row.event_id,
    eventType: row.event_type,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: BigInt(row.global_position),
    status: row.status,
    attempts: row.attempts,
    errorCode: row.error_code,
    error: row.error,
    at: row.dead_lettered_at,
  };
}

/** The dead-letter statements of one store schema. */
export function deadLetters(schema: string) {
  const table = sql.table(`${schema}.projection_dead_letters`);
  return {
    /** Which of `streamIds` have dead letters for `name` (their later events must be parked). */
    async blocked(db: Kysely<unknown>, name: string, streamIds: readonly string[]): Promise<ReadonlySet<string>> {
      if (streamIds.length === 0) return new Set();
      const { rows } = await sql<{ stream_id: string }>`
        SELECT DISTINCT stream_id FROM ${table} WHERE name = ${name} AND stream_id = ANY(${[...new Set(streamIds)]}::text[])`.execute(db);
      return new Set(rows.map((row) => row.stream_id));
    },
    async add(db: Kysely<unknown>, name: string, event: RecordedEvent, entry: { status: "failed" | "parked"; attempts: number; errorCode: string | null; error: string | null }): Promise<void> {
      await sql`
        INSERT INTO ${table} (name, event_id, stream_id, stream_version, event_type, global_position, checkpoint, status, attempts, error_code, error)
        VALUES (${name}, ${event.id}, ${event.streamId}, ${event.version}, ${event.type}, ${event.globalPosition.toString()}, ${event.checkpoint}, ${entry.status}, ${entry.attempts}, ${entry.errorCode}, ${entry.error})
        ON CONFLICT (name, event_id) DO NOTHING`.execute(db);
    },
    async list(db: Kysely<unknown>, name?: string): Promise<readonly DeadLetter[]> {
      const { rows } = await sql<DeadLetterRow>`
        SELECT * FROM ${table} WHERE (${name ?? null}::text IS NULL OR name = ${name ?? null}) ORDER BY name, stream_id, stream_version`.execute(db);
      return rows.map(toDeadLetter);
    },
    /** The dead letters of one stream, in stream order (the failed event first). */
    async ofStream(db: Kysely<unknown>, name: string, streamId: string): Promise<readonly DeadLetter[]> {
      const { rows } = await sql<DeadLetterRow>`SELECT * FROM ${table} WHERE name = ${name} AND stream_id = ${streamId} ORDER BY stream_version`.execute(db);
      return rows.map(toDeadLetter);
    },
    async remove(db: Kysely<unknown>, name: string, eventIds: readonly string[]): Promise<void> {
      await sql`DELETE FROM ${table} WHERE name = ${name} AND event_id = ANY(${[...eventIds]}::uuid[])`.execute(db);
    },
    /** Records another failed retry of a stream's dead letters on its failed event. */
    async failedAgain(db: Kysely<unknown>, name: string, eventId: string, errorCode: string, error: string): Promise<void> {
      await sql`UPDATE ${table} SET attempts = attempts + 1, error_code = ${errorCode}, error = ${error}, status = 'failed' WHERE name = ${name} AND event_id = ${eventId}`.execute(db);
    },
    async count(db: Kysely<unknown>, name: string): Promise<{ failed: number; parked: number }> {
      const { rows } = await sql<{ failed: string | number; parked: string | number }>`
        SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'parked') AS parked FROM ${table} WHERE name = ${name}`.execute(db);
      return { failed: Number(rows[0]?.failed ?? 0), parked: Number(rows[0]?.parked ?? 0) };
    },
    /** Removes a failed dead letter for good, recording it with the operator's skips (never silent). */
    async drop(db: Kysely<unknown>, name: string, eventId: string): Promise<DeadLetter | undefined> {
      const { rows } = await sql<DeadLetterRow & { checkpoint: string }>`
        DELETE FROM ${table} WHERE name = ${name} AND event_id = ${eventId}::uuid AND status = 'failed' RETURNING *`.execute(db);
      const row = rows[0];
      if (row === undefined) return undefined;
      await sql`
        INSERT INTO ${sql.table(`${schema}.projection_skips`)} (name, event_id, event_type, checkpoint, error)
        VALUES (${name}, ${row.event_id}, ${row.event_type}, ${row.checkpoint}, ${`dead letter dropped: ${row.error ?? ""}`})
        ON CONFLICT (name, event_id) DO NOTHING`.execute(db);
      return toDeadLetter(row);
    },
    /** A rebuilt read model holds every event again: its dead letters are obsolete. */
    async clear(db: Kysely<unknown>, name: string): Promise<void> {
      await sql`DELETE FROM ${table} WHERE name = ${name}`.execute(db);
    },
  };
}

/** The dead-letter statements of one store schema. */
export type DeadLetters = ReturnType<typeof deadLetters>;
