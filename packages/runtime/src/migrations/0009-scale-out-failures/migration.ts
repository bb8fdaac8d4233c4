import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0009: the failure policy of scaled-out projections (issue 20). A partition whose
 * handler kept failing on an event under `onExhausted: "stop"` records it on its own row, as a
 * single-runner projection does on its `projections` row, and applies nothing until an operator
 * retries or skips it; the other partitions go on.
 *
 * - `failed_event_id`, `failed_event_type`, `failed_checkpoint`: the event the partition stopped
 *   at (NULL while it runs); `failed_attempts`; `failed_error`: the error's class and code, never
 *   its message; `failed_at`.
 */
export function scaleOutFailuresMigration(schema: string): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        ALTER TABLE ${sql.table(`${schema}.projection_partitions`)}
          ADD COLUMN failed_event_id text,
          ADD COLUMN failed_event_type text,
          ADD COLUMN failed_checkpoint text,
          ADD COLUMN failed_attempts integer,
          ADD COLUMN failed_error text,
          ADD COLUMN failed_at timestamptz`.execute(db);
    },
  };
}
