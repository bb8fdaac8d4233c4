/**
 * Errors of the projection engine. They are {@link StrataError}s, so `isStrataError(e,
 * "PROJECTION_FAILED")` narrows them like every runtime error; {@link isProjectionError} narrows
 * to the projection codes only.
 *
 * @module
 */
import { StrataError } from "../errors.js";

/** Every code a {@link ProjectionError} can carry. */
export const PROJECTION_ERROR_CODES = [
  "PROJECTION_FAILED",
  "PROJECTION_NOT_FOUND",
  "PROJECTION_NOT_FAILED",
  "PROJECTION_DEAD_LETTER_NOT_FOUND",
  "PROJECTION_WAIT_TIMEOUT",
] as const;

/** A stable projection error code. */
export type ProjectionErrorCode = (typeof PROJECTION_ERROR_CODES)[number];

/** The base of the projection engine's errors. */
export class ProjectionError extends StrataError {
  /** Stable, machine-readable code. */
  declare readonly code: ProjectionErrorCode;
  /** The projection or subscription concerned. */
  readonly projection: string;

  constructor(code: ProjectionErrorCode, projection: string, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
    this.projection = projection;
  }
}

/** The projection stopped in the `failed` state; `strata projections retry|skip <name>` resumes it. */
export class ProjectionFailedError extends ProjectionError {
  declare readonly code: "PROJECTION_FAILED";
  /** The event the handler kept failing on. */
  readonly eventId: string;

  constructor(options: { readonly projection: string; readonly eventId: string; readonly eventType: string; readonly attempts: number; readonly cause?: unknown }) {
    super(
      "PROJECTION_FAILED",
      options.projection,
      `Projection "${options.projection}" failed ${options.attempts} time(s) on event ${options.eventId} (${options.eventType}) and stopped; fix the handler, then run "strata projections retry ${options.projection}" (or "skip" to record and pass the event).`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.eventId = options.eventId;
  }
}

/**
 * An inline projection's handler threw inside an append's transaction: the append was rolled back,
 * nothing of the batch was written. The cause is the handler's error.
 */
export class InlineProjectionFailedError extends ProjectionError {
  declare readonly code: "PROJECTION_FAILED";
  /** The stream whose append was rolled back (the first, for `appendMany`). */
  readonly streamId: string;

  constructor(options: { readonly projection: string; readonly streamId: string; readonly eventTypes: readonly string[]; readonly cause: unknown }) {
    super(
      "PROJECTION_FAILED",
      options.projection,
      `Inline projection "${options.projection}" failed on the append to stream "${options.streamId}" (${[...new Set(options.eventTypes)].join(", ")}); the append was rolled back and nothing was written. Fix the handler (the cause holds its error) and append again.`,
      { cause: options.cause },
    );
    this.streamId = options.streamId;
  }
}

/** No projection or subscription with that name is registered (or recorded in the database). */
export class ProjectionNotFoundError extends ProjectionError {
  declare readonly code: "PROJECTION_NOT_FOUND";
  constructor(options: { readonly projection: string; readonly known: readonly string[] }) {
    const known = options.known.length === 0 ? "none is registered" : `known: ${options.known.join(", ")}`;
    super("PROJECTION_NOT_FOUND", options.projection, `No projection or subscription named "${options.projection}" (${known}); check the name and strata.config.ts.`);
  }
}

/** `retry` or `skip` was asked for a projection that is not in the `failed` state. */
export class ProjectionNotFailedError extends ProjectionError {
  declare readonly code: "PROJECTION_NOT_FAILED";
  constructor(options: { readonly projection: string; readonly action: "retry" | "skip" }) {
    super("PROJECTION_NOT_FAILED", options.projection, `Projection "${options.projection}" is not failed, so there is nothing to ${options.action}; see "strata projections status".`);
  }
}

/** `retry` or `drop` named an event that is not a dead letter of that projection. */
export class DeadLetterNotFoundError extends ProjectionError {
  declare readonly code: "PROJECTION_DEAD_LETTER_NOT_FOUND";
  readonly eventId: string;
  constructor(options: { readonly projection: string; readonly eventId: string; readonly action: "retry" | "drop" }) {
    super(
      "PROJECTION_DEAD_LETTER_NOT_FOUND",
      options.projection,
      `Event ${options.eventId} is not a dead letter of "${options.projection}"${options.action === "drop" ? " (only a failed one can be dropped; parked events follow it)" : ""}; see "strata projections dead-letters list ${options.projection}".`,
    );
    this.eventId = options.eventId;
  }
}

/** `waitFor` timed out before the named projections applied everything up to the position. */
export class ProjectionWaitTimeoutError extends ProjectionError {
  declare readonly code: "PROJECTION_WAIT_TIMEOUT";
  /** The projections still behind when the time ran out, with their state. */
  readonly laggards: readonly { readonly name: string; readonly state: string; readonly position: bigint | null }[];
  readonly timeoutMs: number;
  constructor(options: { readonly laggards: readonly { readonly name: string; readonly state: string; readonly position: bigint | null }[]; readonly target: bigint; readonly timeoutMs: number }) {
    const names = options.laggards.map((laggard) => `"${laggard.name}" (${laggard.state}, at ${laggard.position ?? "start"})`).join(", ");
    super(
      "PROJECTION_WAIT_TIMEOUT",
      options.laggards[0]?.name ?? "?",
      `Projections did not reach position ${options.target} within ${options.timeoutMs} ms: ${names}. Answer with a loading state, or check "strata projections status".`,
    );
    this.laggards = options.laggards;
    this.timeoutMs = options.timeoutMs;
  }
}

/**
 * Whether `error` is a projection error, optionally with a given code. Checks `code`, so it works
 * across duplicated installs.
 */
export function isProjectionError<C extends ProjectionErrorCode>(error: unknown, code?: C): error is ProjectionError & { readonly code: C } {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  if (typeof actual !== "string" || !(PROJECTION_ERROR_CODES as readonly string[]).includes(actual)) return false;
  return code === undefined || actual === code;
}

/**
 * What the failure record keeps of an error: its class name and `code`, never its message,
 * which may quote event data (personal data). The full error goes to the `onError` hook.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error value thrown (${typeof error})`;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" || typeof code === "number" ? `${error.name} (code ${String(code)})` : error.name;
}
