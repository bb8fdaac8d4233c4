/**
 * The inbox's tables, in the consumer's own database next to its read model, so that recording
 * "event X was applied" commits in the same transaction as the read-model change:
 *
 * - `inbox`: one row per (consumer, event id) applied or dead-lettered;
 * - `inbox_positions`: per consumer and ordered source (a JetStream stream), the highest sequence applied;
 * - `inbox_dead_letters`: messages a consumer gave up on (ids, type, error code; never data).
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";

type Int8 = string | number | bigint;

/** The inbox statements of one schema. */
export function inboxTables(schema: string) {
  const inbox = sql.table(`${schema}.inbox`);
  const positions = sql.table(`${schema}.inbox_positions`);
  const dead = sql.table(`${schema}.inbox_dead_letters`);
  return {
    /** Creates the schema and tables when missing; concurrent starts serialise on an advisory lock. */
    async create(db: Kysely<unknown>): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`strata-inbox:${schema}`}))`.execute(trx);
        await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS ${inbox} (
          consumer text NOT NULL, event_id uuid NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, event_id))`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS ${positions} (
          consumer text NOT NULL, source text NOT NULL, position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, source))`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS ${dead} (
          consumer text NOT NULL, message_id text NOT NULL, event_id text, event_type text, attempts integer NOT NULL,
          error text NOT NULL, dead_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, message_id))`.execute(trx);
      });
    },
    /** Records `ids`; returns those not recorded before (the ones to apply). */
    async claim(db: Kysely<unknown>, consumer: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await sql<{ event_id: string }>`
        INSERT INTO ${inbox} (consumer, event_id) SELECT ${consumer}, id FROM unnest(${[...ids]}::uuid[]) AS t(id)
        ON CONFLICT DO NOTHING RETURNING event_id::text`.execute(db);
      return new Set(rows.map((row) => row.event_id));
    },
    /** Locks and reads the position of `source` for the rest of the transaction. */
    async lockPosition(db: Kysely<unknown>, consumer: string, source: string): Promise<bigint | undefined> {
      await sql`INSERT INTO ${positions} (consumer, source, position) VALUES (${consumer}, ${source}, 0) ON CONFLICT DO NOTHING`.execute(db);
      const { rows } = await sql<{ position: Int8 }>`SELECT position FROM ${positions} WHERE consumer = ${consumer} AND source = ${source} FOR UPDATE`.execute(db);
      const row = rows[0];
      return row === undefined || BigInt(row.position) === 0n ? undefined : BigInt(row.position);
    },
    async position(db: Kysely<unknown>, consumer: string, source: string): Promise<bigint | undefined> {
      const { rows } = await sql<{ position: Int8 }>`SELECT position FROM ${positions} WHERE consumer = ${consumer} AND source = ${source}`.execute(db);
      const row = rows[0];
      return row === undefined || BigInt(row.position) === 0n ? undefined : BigInt(row.position);
    },
    async setPosition(db: Kysely<unknown>, consumer: string, source: string, position: bigint): Promise<void> {
      await sql`UPDATE ${positions} SET position = GREATEST(position, ${position.toString()}::bigint), updated_at = now()
        WHERE consumer = ${consumer} AND source = ${source}`.execute(db);
    },
    async addDeadLetter(db: Kysely<unknown>, consumer: string, letter: { messageId: string; eventId: string | null; eventType: string | null; attempts: number; error: string }): Promise<void> {
      await sql`INSERT INTO ${dead} (consumer, message_id, event_id, event_type, attempts, error)
        VALUES (${consumer}, ${letter.messageId}, ${letter.eventId}, ${letter.eventType}, ${letter.attempts}, ${letter.error})
        ON CONFLICT (consumer, message_id) DO UPDATE SET attempts = EXCLUDED.attempts, error = EXCLUDED.error, dead_at = now()`.execute(db);
    },
    async deadLetters(db: Kysely<unknown>, consumer: string) {
      return (await sql<{ message_id: string; event_id: string | null; event_type: string | null; attempts: number; error: string; dead_at: Date }>`
        SELECT message_id, event_id, event_type, attempts, error, dead_at FROM ${dead} WHERE consumer = ${consumer} ORDER BY dead_at, message_id`.execute(db)).rows;
    },
  };
}

/** The inbox statements of one schema. */
export type InboxTables = ReturnType<typeof inboxTables>;
