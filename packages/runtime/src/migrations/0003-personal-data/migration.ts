import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0003: crypto-shredding.
 *
 * - `subject_keys`: one wrapped data key per data subject (see `src/crypto/key-store.ts`). Erasure
 *   deletes the row: it is the only copy of the data key (backups aside). `key_id` uses the "C"
 *   collation so KEK rotation pages in byte order, the same on every server.
 * - `erasure_audit`: one row per erasure request. It holds a keyed hash (HMAC-SHA-256) of the
 *   subject id, never the id itself nor any personal data, so the audit trail proves an erasure
 *   happened without identifying whom it concerned to someone who lacks the audit key.
 *   `completed_at` stays null when an erasure was interrupted; a rerun completes it.
 */
export function personalDataMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("subject_keys")} (
          key_id text COLLATE "C" NOT NULL PRIMARY KEY,
          subject_id text NOT NULL UNIQUE,
          kek_id text NOT NULL,
          wrapped_dek bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE ${table("erasure_audit")} (
          audit_id bigserial PRIMARY KEY,
          subject_hash text NOT NULL,
          reason text NOT NULL,
          requested_by text NOT NULL,
          requested_at timestamptz NOT NULL DEFAULT now(),
          completed_at timestamptz,
          outcome text CHECK (outcome IN ('erased', 'already-erased', 'unknown-subject')),
          snapshots_deleted integer NOT NULL DEFAULT 0
        )`.execute(db);
      await sql`CREATE INDEX erasure_audit_subject ON ${table("erasure_audit")} (subject_hash)`.execute(db);
    },
  };
}
