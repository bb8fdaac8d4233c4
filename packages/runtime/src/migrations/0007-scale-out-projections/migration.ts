import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Release 0007: projections that scale out over several workers (issue 20).
 *
 * - `projection_partitions`: one row per partition of a scaled-out projection (a projection split
 *   into `partitions` parts by a hash of the stream id): its own checkpoint in the global order,
 *   its own lease (one worker per partition at a time), and how many events it applied. The
 *   partition count is stored on every row, so a worker started with another count is refused.
 * - `projection_workers`: the workers of each scaled-out projection that are alive (the row's
 *   `expires_at` is renewed on every tick). Every worker reads the same list and takes its share
 *   of the partitions, so partitions move when a worker joins or leaves.
 */
export function scaleOutProjectionsMigration(schema: string): Migration {
  const table = (name: string) => sql.table(`${schema}.${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        CREATE TABLE ${table("projection_partitions")} (
          name text COLLATE "C" NOT NULL,
          partition integer NOT NULL,
          partitions integer NOT NULL CHECK (partitions > 0 AND partition >= 0 AND partition < partitions),
          checkpoint text,
          events_applied bigint NOT NULL DEFAULT 0,
          lease_owner text,
          lease_expires_at timestamptz,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (name, partition)
        )`.execute(db);
      await sql`
        CREATE TABLE ${table("projection_workers")} (
          name text COLLATE "C" NOT NULL,
          worker text COLLATE "C" NOT NULL,
          expires_at timestamptz NOT NULL,
          PRIMARY KEY (name, worker)
        )`.execute(db);
    },
  };
}
