/** A consumer's failure policy, resolved; and its backoff. */
import { setTimeout as delay } from "node:timers/promises";

/** What a consumer does with a message it cannot apply. */
export interface ConsumerFailurePolicy {
  /** Attempts per message before `onExhausted` (default 5). */
  readonly maxAttempts?: number;
  /** Backoff between attempts: `initialMs` doubling up to `maxMs` (defaults 100 and 30 000). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /**
   * After the last attempt: `"stop"` (default) stops the consumer, leaving the message
   * unacknowledged on the broker; `"dead-letter"` records it in `inbox_dead_letters`
   * (ids, type and error code, never data), acknowledges it and goes on.
   */
  readonly onExhausted?: "stop" | "dead-letter";
}

/** The resolved policy. */
export interface ResolvedFailurePolicy {
  readonly maxAttempts: number;
  readonly onExhausted: "stop" | "dead-letter";
  backoff(attempt: number): number;
}

/** Fills in the defaults. */
export function resolveFailurePolicy(policy: ConsumerFailurePolicy = {}): ResolvedFailurePolicy {
  const initial = policy.backoff?.initialMs ?? 100;
  const max = policy.backoff?.maxMs ?? 30_000;
  return {
    maxAttempts: Math.max(1, policy.maxAttempts ?? 5),
    onExhausted: policy.onExhausted ?? "stop",
    backoff: (attempt) => Math.min(max, initial * 2 ** Math.max(0, attempt - 1)),
  };
}

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return;
  await delay(ms, undefined, signal === undefined ? undefined : { signal }).catch(() => undefined);
}
