import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * The NOTIFY channel that announces committed appends for `schema` (at most 63 bytes). The event
 * store sends it after an append commits (see `src/store/append-notifier.ts`); runners LISTEN on it.
 */
export function eventsChannel(schema: string): string {
  return `strata_events_${schema}`.slice(0, 63);
}

/**
 * Release 0002: projection and subscription bookkeeping.
 *
 * - `projections`: one row per projection or outbox subscription: its checkpoint (written in the
 *   same transaction as the read-model changes), state, failure record, the lease of the single
 *   active runner, and the progress of a rebuild in progress.
 * - `projection_skips`: every event an operator skipped with `strata projections skip`, so that
 *   nothing is ever skipped silently.
 *
 * No trigger on `events`: a transaction that sent `NOTIFY` commits under a server-wide lock, so a
 * per-append trigger serialised concurrent writers. The store notifies after its appends commit,
 * outside them (see {@link eventsChannel}).
 */
export function projectionsMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("projections")} (
          name text COLLATE "C" NOT NULL PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('projection', 'subscription')),
          version integer NOT NULL,
          checkpoint text,
          state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'failed')),
          events_applied bigint NOT NULL DEFAULT 0,
          last_position bigint,
          last_recorded_at timestamptz,
          failed_event_id text,
          failed_event_type text,
          failed_checkpoint text,
          failed_in_rebuild boolean NOT NULL DEFAULT false,
          attempts integer NOT NULL DEFAULT 0,
          last_error text,
          failed_at timestamptz,
          lease_owner text,
          lease_expires_at timestamptz,
          rebuild_version integer,
          rebuild_checkpoint text,
          rebuild_ready boolean NOT NULL DEFAULT false,
          rebuild_events_applied bigint NOT NULL DEFAULT 0,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE ${table("projection_skips")} (
          name text COLLATE "C" NOT NULL,
          event_id text NOT NULL,
          event_type text NOT NULL,
          checkpoint text NOT NULL,
          error text,
          skipped_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (name, event_id)
        )`.execute(db);
    },
  };
}
