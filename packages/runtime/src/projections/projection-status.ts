/**
 * What `strata projections status` and health endpoints report for each projection and
 * subscription.
 *
 * @module
 */
import type { ProjectionRow } from "./internal/bookkeeping.js";
import type { Lag } from "./internal/lag.js";

/** The state of a projection: following, behind, being rebuilt, or stopped on a failure. */
export type ProjectionState = "live" | "catching-up" | "rebuilding" | "failed";

/** The failure a projection stopped on. Never holds event data or an error message (personal data). */
export interface ProjectionFailure {
  readonly eventId: string;
  readonly eventType: string;
  /** The error's class name and code, for example `TypeError` or `StoreQueryError (code STORE_QUERY_FAILED)`. */
  readonly error: string;
  readonly attempts: number;
  readonly at: Date;
}

/** The status of one projection or subscription. */
export interface ProjectionStatus {
  readonly name: string;
  readonly kind: "projection" | "subscription";
  /** The version whose read model is live. */
  readonly version: number;
  readonly state: ProjectionState;
  /** Global position of the last event applied; null before the first. */
  readonly position: bigint | null;
  /** Global position of the last event in the store; null when it is empty. */
  readonly head: bigint | null;
  /** Handled events not applied yet. */
  readonly lagEvents: number;
  /** Age of the oldest event not applied yet, in seconds (0 when caught up). */
  readonly lagSeconds: number;
  readonly eventsApplied: number;
  /** The current failure when `state` is `failed`. */
  readonly failure: ProjectionFailure | null;
  /**
   * The error of the last failure (class name and code only). It stays after `retry` or `skip`,
   * while the projection works its way past the failed event, and is cleared (`null`) once the
   * failed checkpoint commits a batch again: after a retry that batch applied the failed event,
   * after a skip it started past it. A completed rebuild clears it too. A new failure replaces it.
   */
  readonly lastError: string | null;
  /** Whether a runner holds the lease right now. */
  readonly active: boolean;
  /**
   * Progress of a rebuild in progress. `failed` is true when the rebuild is what stopped on
   * `failure` (the live read model keeps serving the previous version meanwhile).
   */
  readonly rebuild: { readonly version: number; readonly eventsApplied: number; readonly lagEvents: number; readonly failed: boolean } | null;
  /** Dead letters (dead-letter policy): events that failed, and events parked behind them in their streams. */
  readonly deadLetters: { readonly failed: number; readonly parked: number };
}

/** Builds a status from the bookkeeping row and the measured lags. */
export function toStatus(
  row: ProjectionRow,
  head: bigint | null,
  lag: Lag,
  rebuildLag: Lag | null,
  deadLetters: { readonly failed: number; readonly parked: number } = { failed: 0, parked: 0 },
): ProjectionStatus {
  const failure: ProjectionFailure | null =
    row.state === "failed" && row.failed_event_id !== null
      ? { eventId: row.failed_event_id, eventType: row.failed_event_type ?? "", error: row.last_error ?? "", attempts: row.attempts, at: row.failed_at ?? new Date(0) }
      : null;
  const rebuilding = row.rebuild_version !== null;
  const state: ProjectionState = row.state === "failed" ? "failed" : rebuilding ? "rebuilding" : lag.events > 0 ? "catching-up" : "live";
  return {
    name: row.name,
    kind: row.kind,
    version: row.version,
    state,
    position: row.last_position === null ? null : BigInt(row.last_position),
    head,
    lagEvents: lag.events,
    lagSeconds: lag.seconds,
    eventsApplied: Number(row.events_applied),
    failure,
    lastError: row.last_error,
    active: row.lease_valid,
    rebuild:
      row.rebuild_version === null
        ? null
        : {
            version: row.rebuild_version,
            eventsApplied: Number(row.rebuild_events_applied),
            lagEvents: rebuildLag?.events ?? 0,
            failed: row.state === "failed" && row.failed_in_rebuild,
          },
    deadLetters,
  };
}
