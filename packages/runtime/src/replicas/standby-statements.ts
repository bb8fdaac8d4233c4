/**
 * The store's statements for a hot standby: the same texts, except the global-order horizon.
 *
 * Why the primary's horizon is wrong on a standby: it lowers the horizon to the oldest in-flight
 * transaction that holds the store's writer lock (see store-writers.ts), and advisory locks are
 * not replicated: on a standby `pg_locks` never shows a writer, so a writer still in flight on the
 * primary would not hold the horizon back, and a reader could move its checkpoint past an event
 * that commits later. The standby horizon is instead the xmin of the read's own snapshot:
 *
 *   H = pg_snapshot_xmin(pg_current_snapshot())
 *
 * Proof that a reader on a standby skips nothing: a standby's snapshot lists as in flight every
 * transaction id the primary assigned that the standby has not seen end (ids seen in WAL, the ids
 * between them, and the primary's running-transactions records). A writer with id x < H has
 * therefore ended in the replayed WAL before the snapshot: its committed rows are visible to the
 * read, and no row with an id below H can appear later (new ids are at least the primary's next
 * id, above every id the standby knows). Steps 2 and 3 of the proof in read-all.ts apply
 * unchanged: pages are keyset-ordered by (transaction id, position) and a caught-up checkpoint
 * moves to just below H, never backwards. Checkpoints are the same on primary and standby (the
 * rows are byte-identical), so a reader may alternate between them: each read only returns rows
 * that were final on the server it ran on, and a checkpoint never moves backwards.
 *
 * The cost: every transaction with an id in flight on the primary, not only this store's writers,
 * holds a standby's horizon back (a standby cannot tell them apart), so a long transaction
 * elsewhere on the primary stalls readAll on replicas (never loses events). Stream reads have no
 * horizon and are unaffected.
 *
 * @module
 */
import { buildStatements } from "../store/statements.js";
import type { Statements } from "../store/statements.js";
import { horizonSql } from "../store/store-writers.js";

/** The horizon expression of a read on a hot standby (see the module comment). */
export const STANDBY_HORIZON_SQL = "(SELECT pg_snapshot_xmin(pg_current_snapshot()))";

/**
 * The store's statements for `schema`, with readAll's horizon replaced by {@link STANDBY_HORIZON_SQL}
 * and never reused between reads: one set serves several standbys, and a horizon one of them
 * computed says nothing about what another, further behind, has replayed.
 */
export function buildStandbyStatements(schema: string): Statements {
  const statements = buildStatements(schema);
  const primaryHorizon = horizonSql(schema);
  if (!statements.readAll.includes(primaryHorizon)) {
    // The store's readAll no longer computes its horizon with horizonSql: this module must follow.
    throw new Error("standby statements: readAll does not contain the primary horizon expression");
  }
  return { ...statements, readAll: statements.readAll.replace(primaryHorizon, STANDBY_HORIZON_SQL), reusableHorizon: false };
}
