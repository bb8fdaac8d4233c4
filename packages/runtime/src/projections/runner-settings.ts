/**
 * Tuning of the projection runners, with the defaults the engine uses.
 *
 * @module
 */

import type { ConsumerFailurePolicy } from "../integration/internal/failure-policy.js";

/**
 * What a projection or subscription does with an event its handler keeps failing on (the same
 * shape as a broker consumer's policy): `maxAttempts` tries with backoff, then `onExhausted`:
 * `"stop"` (the default) stops it in the `failed` state until an operator's retry or skip;
 * `"dead-letter"` records the event in `projection_dead_letters`, parks the later events of the
 * same stream behind it, and goes on with every other stream. `{ maxAttempts: 1, onExhausted:
 * "dead-letter" }` dead-letters at once. Absent fields fall back to the engine's options.
 */
export type ProjectionFailurePolicy = ConsumerFailurePolicy;

/** Reported after every batch that applied events. */
export interface ProjectionProgress {
  readonly name: string;
  /** `"rebuild"` while a rebuild fills its fresh schema. */
  readonly target: "live" | "rebuild";
  readonly applied: number;
  readonly caughtUp: boolean;
  /** The rebuild caught up and its schema became the live read model. */
  readonly swapped: boolean;
}

/** Reported on every failed attempt. `error` may quote event data: do not log it where personal data must not go. */
export interface ProjectionErrorInfo {
  readonly name: string;
  readonly attempt: number;
  readonly eventId?: string;
  readonly eventType?: string;
}

/** Options of the runners; all optional in the engine's options. */
export interface RunnerOptions {
  /** How long a runner's lease lasts without renewal (default 15 000 ms): the takeover delay after a crash. */
  readonly leaseMs?: number;
  /** Polling interval when idle (default 1 000 ms); LISTEN/NOTIFY wakes runners earlier. */
  readonly pollMs?: number;
  /** Attempts per event before the projection stops as `failed` (default 5). */
  readonly maxAttempts?: number;
  /** Backoff between attempts: `initialMs` doubling up to `maxMs` (defaults 100 and 30 000). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Called on every failed attempt, with the original error. */
  readonly onError?: (error: unknown, info: ProjectionErrorInfo) => void;
  /** Called after every batch that applied events (catch-up and rebuild progress). */
  readonly onProgress?: (progress: ProjectionProgress) => void;
}

/** Resolved runner settings. */
export interface RunnerSettings {
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly maxAttempts: number;
  readonly backoff: (attempt: number) => number;
  readonly defaultBatchSize: (kind: "projection" | "subscription") => number;
  /** The largest catch-up batch of a projection that sets neither `batchSize` nor `catchUpBatchSize`. */
  readonly defaultCatchUpBatchSize: number;
  readonly onError: ((error: unknown, info: ProjectionErrorInfo) => void) | undefined;
  readonly onProgress: ((progress: ProjectionProgress) => void) | undefined;
}

/** Fills in the defaults. */
export function resolveRunnerSettings(options: RunnerOptions): RunnerSettings {
  const initial = options.backoff?.initialMs ?? 100;
  const max = options.backoff?.maxMs ?? 30_000;
  return {
    leaseMs: options.leaseMs ?? 15_000,
    pollMs: options.pollMs ?? 1_000,
    maxAttempts: options.maxAttempts ?? 5,
    backoff: (attempt) => Math.min(max, initial * 2 ** Math.max(0, attempt - 1)),
    defaultBatchSize: (kind) => (kind === "projection" ? 500 : 100),
    defaultCatchUpBatchSize: 5_000,
    onError: options.onError,
    onProgress: options.onProgress,
  };
}
