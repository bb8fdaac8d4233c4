import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0005: store hardening.
 *
 * - `event_ids`: one row per event id, `PRIMARY KEY (event_id)`, written by the append statement
 *   beside the events. Why a table of its own: `events` keeps every unique constraint keyed by
 *   `stream_id` so it stays partitionable by stream (a partitioned table's unique index must
 *   include the partition key, and Citus distributes by it), which could only make ids unique per
 *   stream. This small table has its own primary key, is never partitioned with `events` (or is
 *   hash-partitioned by `event_id`, or a Citus reference/distributed-by-id table), and makes an id
 *   unique across the store under any race: the second of two concurrent inserts of one id
 *   waits for the first and fails with a unique violation, which the append turns into a replay
 *   or `DuplicateEventIdError`. Existing events are copied in; an id that earlier releases let two
 *   streams share keeps its first (lowest position) stream.
 * - `projection_dead_letters`: events a projection or subscription with the dead-letter policy
 *   could not apply (`failed`), and the later events of the same stream held back behind them
 *   (`parked`) so that a retry applies the stream in order. Ids, type, position, attempts and the
 *   error's code and class only: never event data or an error message (personal data).
 */
export function storeHardeningMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("event_ids")} (
          event_id uuid NOT NULL,
          stream_id text COLLATE "C" NOT NULL,
          CONSTRAINT event_ids_pkey PRIMARY KEY (event_id)
        )`.execute(db);
      await sql`
        INSERT INTO ${table("event_ids")} (event_id, stream_id)
        SELECT DISTINCT ON (event_id) event_id, stream_id FROM ${table("events")} ORDER BY event_id, global_position`.execute(db);
      await sql`
        CREATE TABLE ${table("projection_dead_letters")} (
          name text COLLATE "C" NOT NULL,
          event_id uuid NOT NULL,
          stream_id text COLLATE "C" NOT NULL,
          stream_version bigint NOT NULL,
          event_type text NOT NULL,
          global_position bigint NOT NULL,
          checkpoint text NOT NULL,
          status text NOT NULL CHECK (status IN ('failed', 'parked')),
          attempts integer NOT NULL DEFAULT 0,
          error_code text,
          error text,
          dead_lettered_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (name, event_id)
        )`.execute(db);
      await sql`CREATE INDEX projection_dead_letters_stream ON ${table("projection_dead_letters")} (name, stream_id, stream_version)`.execute(db);
    },
  };
}
