import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0006: durable deadlines of process managers.
 *
 * `process_deadlines` holds one row per scheduled deadline, keyed by the input it will become
 * (`deadline:<key>:<scheduling step id>`), so that applying a recorded step again inserts nothing
 * new and never overwrites a later schedule of the same key. A runner claims due rows for a
 * while (`claimed_until`) instead of holding a transaction open across the step: on PGlite the
 * step's own appends need the single connection. A row is deleted once its step is recorded and
 * applied; a crash before that lets the claim lapse and the deadline fires again, as the same
 * input, which the process's stream already answers.
 */
export function processManagersMigration(schema: string): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${sql.table(`${schema}.process_deadlines`)} (
          manager text COLLATE "C" NOT NULL,
          process_id text COLLATE "C" NOT NULL,
          input_key text COLLATE "C" NOT NULL,
          deadline_key text COLLATE "C" NOT NULL,
          due_at timestamptz NOT NULL,
          data jsonb,
          claimed_until timestamptz,
          PRIMARY KEY (manager, process_id, input_key)
        )`.execute(db);
      await sql`CREATE INDEX process_deadlines_due ON ${sql.table(`${schema}.process_deadlines`)} (manager, due_at)`.execute(db);
    },
  };
}
