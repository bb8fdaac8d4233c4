/**
 * Dead letters: events a projection or subscription with `failure: { onExhausted: "dead-letter" }`
 * could not apply, and the events of the same stream parked behind them.
 *
 * @module
 */

/** One dead letter, as `status`, `deadLetters()` and `strata projections dead-letters list` show it. */
export interface DeadLetter {
  /** The projection or subscription. */
  readonly projection: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: bigint;
  /**
   * `failed`: the handler kept failing on this event. `parked`: a later event of the same
   * stream, held back so that a retry applies the stream in order.
   */
  readonly status: "failed" | "parked";
  /** Attempts so far (0 for a parked event). */
  readonly attempts: number;
  /** The error's `code` (or its class name when it has none); null for a parked event. */
  readonly errorCode: string | null;
  /** The error's class name and code, never its message (which may quote personal data). */
  readonly error: string | null;
  readonly at: Date;
}

/** What a retry did. */
export interface DeadLetterRetryReport {
  /** Events applied (failed and parked ones), now gone from the dead letters. */
  readonly applied: number;
  /** The streams whose dead letters failed again: their failed letter, with the new attempt count. */
  readonly failed: readonly DeadLetter[];
}

/** The stable code of an error for a dead letter: its string `code`, else its class name. */
export function errorCodeOf(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" || typeof code === "number" ? String(code) : error.name;
}
