/**
 * Logging and counters for loading and command handling. Log fields carry ids, versions and
 * error codes only, never state or event data, so personal data cannot reach a log line.
 *
 * @module
 */

/** Structured fields of a log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where aggregates log. Any structured logger (pino, winston, console) fits with a thin adapter. */
export interface AggregateLogger {
  debug(message: string, fields: LogFields): void;
  warn(message: string, fields: LogFields): void;
}

/** Counters of the aggregate layer, cumulative since the handler was created. */
export interface AggregateMetrics {
  commandsApplied: number;
  commandsRejected: number;
  /** Appends that hit a concurrency conflict and were retried. */
  conflictRetries: number;
  /** Commands that gave up after the last retry. */
  retriesExhausted: number;
  /** Loads that started from a snapshot. */
  snapshotsUsed: number;
  /** Loads that found no snapshot. */
  snapshotsMissing: number;
  /** Snapshots ignored because they did not decode or failed the state schema. */
  snapshotsCorrupt: number;
  /** Snapshots ignored because their state version is not the decider's. */
  snapshotsOutdated: number;
  /** Loads whose snapshot lookup failed (the state was rebuilt from the stream). */
  snapshotReadFailures: number;
  snapshotsWritten: number;
  snapshotWriteFailures: number;
  /** Snapshots refused because they would hold an erased subject's data. */
  snapshotsRefused: number;
}

/** Fresh counters, all zero. */
export function createAggregateMetrics(): AggregateMetrics {
  return {
    commandsApplied: 0,
    commandsRejected: 0,
    conflictRetries: 0,
    retriesExhausted: 0,
    snapshotsUsed: 0,
    snapshotsMissing: 0,
    snapshotsCorrupt: 0,
    snapshotsOutdated: 0,
    snapshotReadFailures: 0,
    snapshotsWritten: 0,
    snapshotWriteFailures: 0,
    snapshotsRefused: 0,
  };
}

/** The default logger: warnings to `console.warn`, debug lines dropped. */
export const consoleAggregateLogger: AggregateLogger = {
  debug: () => undefined,
  warn: (message, fields) => console.warn(`[strata] ${message}`, fields),
};

/** Names an error for a log line without its message (which may quote data): its code or class name. */
export function describeErrorForLog(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string") return name;
  }
  return typeof error;
}
