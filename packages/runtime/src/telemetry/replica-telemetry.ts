/**
 * Which server served a read of a replicated store, as attributes of the read's span:
 * `strata.read.target` (`replica` or `primary`), `strata.replica.name` (the replica that served
 * the read, or that it fell back from), `strata.read.fallback` (`lag`: the replica had not
 * replayed the read's WAL position within `replayTimeoutMs`; `failure`: it failed, or every
 * replica was left out after failing) and `strata.replica.replay_wait_ms` (how long the read
 * waited for replay, when it had a position to wait for).
 *
 * @module
 */
import type { Span } from "@opentelemetry/api";
import { TELEMETRY_ATTRIBUTES as A } from "./telemetry-attributes.js";

/** Where one read went. */
export interface ReadRouting {
  readonly target: "primary" | "replica";
  /** The replica that served the read, or the one it fell back from. */
  readonly replica?: string | undefined;
  /** Why the primary served a read meant for a replica. */
  readonly fallback?: "lag" | "failure" | undefined;
  /** Milliseconds spent waiting for the replica to replay the read's position. */
  readonly replayWaitMs?: number | undefined;
}

/** Sets `routing` on `span` (later calls overwrite: a replica that fails mid-read hands over to the primary). */
export function recordRouting(span: Span, routing: ReadRouting): void {
  span.setAttribute(A.readTarget, routing.target);
  if (routing.replica !== undefined) span.setAttribute(A.replicaName, routing.replica);
  if (routing.fallback !== undefined) span.setAttribute(A.readFallback, routing.fallback);
  if (routing.replayWaitMs !== undefined) span.setAttribute(A.replayWaitMs, Math.round(routing.replayWaitMs * 1000) / 1000);
}
