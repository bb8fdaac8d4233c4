import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0001: streams and events.
 *
 * Layout rules that keep the events table partitionable by `stream_id` (declarative `PARTITION BY
 * HASH (stream_id)`) and distributable by it (Citus `create_distributed_table('events',
 * 'stream_id')`): every unique constraint includes `stream_id`, and nothing references the
 * events table by foreign key.
 *
 * - `PRIMARY KEY (stream_id, version)` makes versions gapless-unique per stream and serves stream reads.
 * - `UNIQUE (event_id, stream_id)` makes retries idempotent; event id first so a lookup by id alone
 *   uses it, and UUIDv7 ids keep inserts at the right edge of the index.
 * - `(transaction_id, global_position)` is the global order (see read-all.ts for why not the position alone).
 * - `stream_id` uses the "C" collation: byte order, the same on every server, and prefix `LIKE`
 *   can use the index.
 */
export function initialMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("streams")} (
          stream_id text COLLATE "C" NOT NULL PRIMARY KEY,
          version bigint NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          deleted_at timestamptz
        )`.execute(db);
      await sql`
        CREATE TABLE ${table("events")} (
          stream_id text COLLATE "C" NOT NULL,
          version bigint NOT NULL,
          global_position bigserial NOT NULL,
          transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          event_id uuid NOT NULL,
          type text NOT NULL,
          schema_version integer NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb,
          recorded_at timestamptz NOT NULL,
          CONSTRAINT events_pkey PRIMARY KEY (stream_id, version),
          CONSTRAINT events_event_id_key UNIQUE (event_id, stream_id)
        )`.execute(db);
      await sql`CREATE INDEX events_global_order ON ${table("events")} (transaction_id, global_position)`.execute(db);
    },
  };
}
