/**
 * Typed errors of the aggregate layer. Messages name the aggregate, the stream and the versions
 * at fault and never carry state or event data.
 *
 * They are {@link StrataError}s: `isStrataError(e, "COMMAND_RETRIES_EXHAUSTED")` narrows them like
 * every runtime error, and {@link isAggregateLayerError} narrows to the aggregate codes only.
 *
 * @module
 */
import { StrataError } from "../errors.js";

/** The stable codes of aggregate errors. */
export const AGGREGATE_ERROR_CODES = [
  "COMMAND_RETRIES_EXHAUSTED",
  "AGGREGATE_VERSION_NOT_FOUND",
] as const;

/** One of {@link AGGREGATE_ERROR_CODES}. */
export type AggregateErrorCode = (typeof AGGREGATE_ERROR_CODES)[number];

/** Base class of the aggregate layer's errors. */
export abstract class AggregateLayerError extends StrataError {
  /** Stable, machine-readable code. */
  declare readonly code: AggregateErrorCode;

  constructor(code: AggregateErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}

/** True when `error` is an aggregate-layer error, optionally of one code. Checks `code`, not `instanceof`. */
export function isAggregateLayerError<C extends AggregateErrorCode>(
  error: unknown,
  code?: C,
): error is AggregateLayerError & { readonly code: C } {
  if (typeof error !== "object" || error === null) return false;
  const actual = (error as { code?: unknown }).code;
  if (code !== undefined) return actual === code;
  return typeof actual === "string" && (AGGREGATE_ERROR_CODES as readonly string[]).includes(actual);
}

/** A command kept losing the race for its stream and gave up. `cause` is the last conflict. */
export class CommandRetriesExhaustedError extends AggregateLayerError {
  declare readonly code: "COMMAND_RETRIES_EXHAUSTED";

  constructor(
    readonly aggregate: string,
    readonly streamId: string,
    readonly attempts: number,
    options: { readonly cause: unknown },
  ) {
    super(
      "COMMAND_RETRIES_EXHAUSTED",
      `Command on ${aggregate} stream "${streamId}" gave up after ${attempts} attempts: every append met a concurrent write. ` +
        `Raise retry.maxAttempts, or reduce contention on this stream.`,
      options,
    );
  }
}

/** A time-travel load asked for a version the stream has not reached. */
export class AggregateVersionNotFoundError extends AggregateLayerError {
  declare readonly code: "AGGREGATE_VERSION_NOT_FOUND";

  constructor(
    readonly aggregate: string,
    readonly streamId: string,
    readonly requestedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      "AGGREGATE_VERSION_NOT_FOUND",
      `Cannot load ${aggregate} stream "${streamId}" at version ${requestedVersion}: the stream ends at version ${actualVersion}.`,
    );
  }
}
