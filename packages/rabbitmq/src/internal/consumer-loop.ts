/**
 * The outer loop of a broker consumer: runs one reading session after another until stopped,
 * with backoff after an interruption (a broker restart, a database outage). A fatal error (the
 * failure policy said stop) ends it.
 */
import { setTimeout as delay } from "node:timers/promises";

/** A running loop. */
export interface ConsumerLoop {
  readonly done: Promise<void>;
  stop(): void;
}

/** Starts the loop; `session` runs until it returns or throws, and is started again unless stopped. */
export function runUntilStopped(
  session: (signal: AbortSignal) => Promise<void>,
  hooks: { readonly onError: (error: unknown) => void; readonly isFatal: (error: unknown) => boolean; readonly onStop: () => void },
): ConsumerLoop {
  const abort = new AbortController();
  const run = async (): Promise<void> => {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        await session(abort.signal);
        failures = 0;
      } catch (error) {
        if (hooks.isFatal(error)) throw error;
        if (abort.signal.aborted) return;
        hooks.onError(error);
        failures += 1;
      }
      if (abort.signal.aborted) return;
      const backoffMs = failures === 0 ? 10 : Math.min(5_000, 100 * 2 ** Math.min(failures - 1, 6));
      await delay(backoffMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  };
  return {
    done: run(),
    stop: () => {
      abort.abort();
      hooks.onStop();
    },
  };
}
