import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0008: one index fewer per event (issue 18).
 *
 * - `event_ids` gains `version` and `global_position`: where each id's event is. Every lookup by
 *   id (the store's retried-append check, dead-letter retries, the personal-data layer's search
 *   for a retried event's stored envelopes) probes `event_ids` by its primary key and then
 *   `events` by its own, `(stream_id, version)`; the position also lets a table partitioned by
 *   global position prune to one partition. The append statement fills both columns from the
 *   rows it inserted. Existing rows are filled from `events`; an id whose event is no longer in
 *   the table (a detached partition) keeps NULLs and is found by no lookup, as before.
 * - `events_event_id_key` (`UNIQUE (event_id, stream_id)` of 0001) is dropped: since 0005 ids
 *   are unique across the store through `event_ids`, and the index cost every append an index
 *   insert and its WAL (measured on `pnpm bench` W3: −8% server CPU and −12% WAL per event without
 *   it). On a table already partitioned by `partitionEventsTable`, the constraint of that name
 *   lives on `events_legacy` and is dropped there, with the copies its partitions carry.
 */
export function eventIdLookupMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`ALTER TABLE ${table("event_ids")} ADD COLUMN version bigint, ADD COLUMN global_position bigint`.execute(db);
      // Runs while events_event_id_key still exists: one index probe per id.
      await sql`
        UPDATE ${table("event_ids")} AS k SET version = e.version, global_position = e.global_position
        FROM ${table("events")} AS e WHERE e.event_id = k.event_id AND e.stream_id = k.stream_id`.execute(db);
      // events_event_id_key, wherever it lives, and the per-partition copies partitions made before
      // this release carry (`<partition>_event_id_key`).
      const owners = await sql<{ owner: string; constraint: string }>`
        SELECT c.relname AS owner, x.conname AS constraint FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND x.contype = 'u'
          AND (x.conname = 'events_event_id_key' OR (c.relispartition AND x.conname = c.relname || '_event_id_key'))`.execute(db);
      for (const { owner, constraint } of owners.rows) {
        await sql`ALTER TABLE ${table(owner)} DROP CONSTRAINT ${sql.id(constraint)}`.execute(db);
      }
    },
  };
}
