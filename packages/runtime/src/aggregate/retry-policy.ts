/**
 * Bounded, jittered retries of a command whose append met a concurrent write.
 *
 * @module
 */

/** How often and how patiently a command retries after a concurrency conflict. */
export interface RetryPolicy {
  /** Attempts in total, the first included. 1 disables retries. */
  readonly maxAttempts: number;
  /** Upper bound of the first retry's delay; doubles with each further retry. */
  readonly baseDelayMs: number;
  /** Cap of any single delay. */
  readonly maxDelayMs: number;
}

/** Five attempts, delays drawn from [0, 5 ms], [0, 10 ms], … capped at 250 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 250 });

/**
 * The delay before retry number `retry` (1 for the first retry): "full jitter", a uniform draw
 * between 0 and the exponential bound, so that racing callers spread out instead of colliding again.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * (bound + 1));
}

/** Resolves after `ms` milliseconds (immediately for 0). */
export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
