/**
 * SQL over the `projections` bookkeeping table (migration 0002). Every lease comparison uses
 * the database clock (`clock_timestamp()`), so runners on machines with skewed clocks agree.
 *
 * `last_error` outlives the `failed` state: `resume` keeps it, together with `failed_in_rebuild`
 * (which checkpoint failed), until that checkpoint commits a batch again while running. After a
 * retry that batch holds the failed event, after a skip it starts past it; either way the
 * projection has got over the failure. A completed rebuild clears it too.
 */
import { sql } from "kysely";
import type { Kysely } from "kysely";

type Int8 = string | number | bigint;

/** A `projections` row. */
export interface ProjectionRow {
  readonly name: string;
  readonly kind: "projection" | "subscription";
  readonly version: number;
  readonly checkpoint: string | null;
  readonly state: "running" | "failed";
  readonly events_applied: Int8;
  readonly last_position: Int8 | null;
  readonly last_recorded_at: Date | null;
  readonly failed_event_id: string | null;
  readonly failed_event_type: string | null;
  readonly failed_checkpoint: string | null;
  readonly failed_in_rebuild: boolean;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly failed_at: Date | null;
  readonly lease_owner: string | null;
  readonly lease_expires_at: Date | null;
  readonly rebuild_version: number | null;
  readonly rebuild_checkpoint: string | null;
  readonly rebuild_ready: boolean;
  readonly rebuild_events_applied: Int8;
  /** Computed: the lease is held and not expired. */
  readonly lease_valid: boolean;
}

/** Table references for one store schema. */
export function bookkeeping(schema: string) {
  const projections = sql.table(`${schema}.projections`);
  const skips = sql.table(`${schema}.projection_skips`);
  const columns = sql`*, (lease_owner IS NOT NULL AND lease_expires_at > clock_timestamp()) AS lease_valid`;
  const ms = (value: number) => sql`make_interval(secs => ${value / 1000})`;
  // SET clauses that clear a recovered failure once `target`'s checkpoint commits while running.
  const recovered = (target: "live" | "rebuild") => {
    const failedHere = target === "rebuild" ? sql`failed_in_rebuild` : sql`NOT failed_in_rebuild`;
    return sql`last_error = CASE WHEN state = 'running' AND ${failedHere} THEN NULL ELSE last_error END,
          failed_in_rebuild = CASE WHEN state = 'running' AND ${failedHere} THEN false ELSE failed_in_rebuild END`;
  };

  return {
    /** Inserts the row when missing; returns whether it was created. */
    async register(db: Kysely<unknown>, name: string, kind: "projection" | "subscription", version: number): Promise<boolean> {
      const { rows } = await sql<{ name: string }>`
        INSERT INTO ${projections} (name, kind, version) VALUES (${name}, ${kind}, ${version})
        ON CONFLICT (name) DO NOTHING RETURNING name`.execute(db);
      return rows.length === 1;
    },
    async get(db: Kysely<unknown>, name: string): Promise<ProjectionRow | undefined> {
      const { rows } = await sql<ProjectionRow>`SELECT ${columns} FROM ${projections} WHERE name = ${name}`.execute(db);
      return rows[0];
    },
    async all(db: Kysely<unknown>): Promise<readonly ProjectionRow[]> {
      return (await sql<ProjectionRow>`SELECT ${columns} FROM ${projections} ORDER BY name`.execute(db)).rows;
    },
    /** Locks the row for the rest of the transaction: batches of one projection never overlap. */
    async lock(db: Kysely<unknown>, name: string): Promise<ProjectionRow | undefined> {
      const { rows } = await sql<ProjectionRow>`SELECT ${columns} FROM ${projections} WHERE name = ${name} FOR UPDATE`.execute(db);
      return rows[0];
    },
    /** Takes the lease when free, expired or already ours; returns whether we hold it. */
    async acquire(db: Kysely<unknown>, name: string, owner: string, leaseMs: number): Promise<boolean> {
      const { rows } = await sql<{ name: string }>`
        UPDATE ${projections} SET lease_owner = ${owner}, lease_expires_at = clock_timestamp() + ${ms(leaseMs)}
        WHERE name = ${name} AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_expires_at <= clock_timestamp())
        RETURNING name`.execute(db);
      return rows.length === 1;
    },
    async release(db: Kysely<unknown>, name: string, owner: string): Promise<void> {
      await sql`UPDATE ${projections} SET lease_owner = NULL, lease_expires_at = NULL WHERE name = ${name} AND lease_owner = ${owner}`.execute(db);
    },
    async renew(db: Kysely<unknown>, name: string, leaseMs: number): Promise<void> {
      await sql`UPDATE ${projections} SET lease_expires_at = clock_timestamp() + ${ms(leaseMs)} WHERE name = ${name}`.execute(db);
    },
    /** Records a live batch and renews the lease; clears a live failure that was retried or skipped. */
    async commitLive(db: Kysely<unknown>, name: string, leaseMs: number, checkpoint: string, applied: number, last: { position: bigint; recordedAt: Date } | undefined): Promise<void> {
      await sql`
        UPDATE ${projections} SET checkpoint = ${checkpoint}, events_applied = events_applied + ${applied},
          last_position = COALESCE(${last?.position.toString() ?? null}::bigint, last_position),
          last_recorded_at = COALESCE(${last?.recordedAt ?? null}::timestamptz, last_recorded_at),
          ${recovered("live")}, lease_expires_at = clock_timestamp() + ${ms(leaseMs)}, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /** Records a rebuild batch and renews the lease; clears a rebuild failure that was retried or skipped. */
    async commitRebuild(db: Kysely<unknown>, name: string, leaseMs: number, checkpoint: string, applied: number): Promise<void> {
      await sql`
        UPDATE ${projections} SET rebuild_checkpoint = ${checkpoint}, rebuild_events_applied = rebuild_events_applied + ${applied},
          ${recovered("rebuild")}, lease_expires_at = clock_timestamp() + ${ms(leaseMs)}, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /** Starts (or restarts) a rebuild into a fresh schema at `version`. */
    async requestRebuild(db: Kysely<unknown>, name: string, version: number): Promise<void> {
      await sql`
        UPDATE ${projections} SET rebuild_version = ${version}, rebuild_checkpoint = NULL, rebuild_ready = false,
          rebuild_events_applied = 0, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    async markRebuildReady(db: Kysely<unknown>, name: string): Promise<void> {
      await sql`UPDATE ${projections} SET rebuild_ready = true WHERE name = ${name}`.execute(db);
    },
    /**
     * Makes the rebuilt read model the live one (the schemas were renamed in the same
     * transaction). Clears the last error: the read model now holds every event from the start.
     */
    async finishRebuild(db: Kysely<unknown>, name: string, last: { position: bigint; recordedAt: Date } | undefined): Promise<void> {
      await sql`
        UPDATE ${projections} SET version = rebuild_version, checkpoint = rebuild_checkpoint, events_applied = rebuild_events_applied,
          last_position = COALESCE(${last?.position.toString() ?? null}::bigint, last_position),
          last_recorded_at = COALESCE(${last?.recordedAt ?? null}::timestamptz, last_recorded_at),
          rebuild_version = NULL, rebuild_checkpoint = NULL, rebuild_ready = false, rebuild_events_applied = 0,
          last_error = CASE WHEN state = 'running' THEN NULL ELSE last_error END,
          failed_in_rebuild = CASE WHEN state = 'running' THEN false ELSE failed_in_rebuild END, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /**
     * Records an error that does not stop the projection (the database or an upcaster failing,
     * retried without end) so that status shows it; cleared like any recovered failure when the
     * checkpoint it held back commits again.
     */
    async recordStall(db: Kysely<unknown>, name: string, error: string): Promise<void> {
      await sql`
        UPDATE ${projections} SET last_error = ${error}, failed_in_rebuild = (rebuild_version IS NOT NULL), failed_at = clock_timestamp(), updated_at = now()
        WHERE name = ${name} AND state = 'running'`.execute(db);
    },
    async markFailed(
      db: Kysely<unknown>,
      name: string,
      failure: { eventId: string; eventType: string; checkpoint: string; inRebuild: boolean; attempts: number; error: string },
    ): Promise<void> {
      await sql`
        UPDATE ${projections} SET state = 'failed', failed_event_id = ${failure.eventId}, failed_event_type = ${failure.eventType},
          failed_checkpoint = ${failure.checkpoint}, failed_in_rebuild = ${failure.inRebuild}, attempts = ${failure.attempts},
          last_error = ${failure.error}, failed_at = clock_timestamp(), updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /**
     * Back to running; the failed event will be tried again (or was skipped). Keeps `last_error`
     * and `failed_in_rebuild` until the failed checkpoint commits again (see the module comment).
     */
    async resume(db: Kysely<unknown>, name: string): Promise<void> {
      await sql`
        UPDATE ${projections} SET state = 'running', failed_event_id = NULL, failed_event_type = NULL, failed_checkpoint = NULL,
          attempts = 0, updated_at = now()
        WHERE name = ${name}`.execute(db);
    },
    /** Records the skipped event and moves the checkpoint just past it. */
    async skip(db: Kysely<unknown>, row: ProjectionRow): Promise<void> {
      await sql`
        INSERT INTO ${skips} (name, event_id, event_type, checkpoint, error)
        VALUES (${row.name}, ${row.failed_event_id}, ${row.failed_event_type}, ${row.failed_checkpoint}, ${row.last_error})
        ON CONFLICT (name, event_id) DO NOTHING`.execute(db);
      if (row.failed_in_rebuild) await sql`UPDATE ${projections} SET rebuild_checkpoint = ${row.failed_checkpoint} WHERE name = ${row.name}`.execute(db);
      else await sql`UPDATE ${projections} SET checkpoint = ${row.failed_checkpoint} WHERE name = ${row.name}`.execute(db);
    },
    async skipped(db: Kysely<unknown>, name: string): Promise<readonly { event_id: string; event_type: string; skipped_at: Date }[]> {
      return (await sql<{ event_id: string; event_type: string; skipped_at: Date }>`
        SELECT event_id, event_type, skipped_at FROM ${skips} WHERE name = ${name} ORDER BY skipped_at`.execute(db)).rows;
    },
  };
}

/** The bookkeeping statements of one store schema. */
export type Bookkeeping = ReturnType<typeof bookkeeping>;
