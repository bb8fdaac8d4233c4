import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0004: KEK safety and provable erasure.
 *
 * - `kek_checks`: one check value per KEK id (a constant wrapped by that KEK, see
 *   `src/crypto/kek-check.ts`). A process whose KEK under a known id has other material fails to
 *   unwrap it and refuses to open, before it wraps any data key with the wrong KEK.
 * - `erasure_places`: per erasure request (audit row), every place that held the subject's data
 *   and whether it is done, pending or failed (see `src/erasure/erasure-status.ts`). The audit
 *   row's outcome is set only when every place is done.
 * - `erasure_audit.key_horizon`: a transaction id (xid8, as text) taken after the subject's key
 *   was deleted. The key table's compaction is complete only once no transaction older than it
 *   is left (a snapshot older than the delete keeps the deleted row version alive).
 */
export function erasureSafetyMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("kek_checks")} (
          kek_id text COLLATE "C" NOT NULL PRIMARY KEY,
          check_value bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE ${table("erasure_places")} (
          audit_id bigint NOT NULL ,
          place text COLLATE "C" NOT NULL,
          status text NOT NULL CHECK (status IN ('done', 'pending', 'failed')),
          detail text,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (audit_id, place)
        )`.execute(db);
      await sql`ALTER TABLE ${table("erasure_audit")} ADD COLUMN event_checkpoint text`.execute(db);
      await sql`ALTER TABLE ${table("erasure_audit")} ADD COLUMN key_horizon text`.execute(db);
    },
  };
}
