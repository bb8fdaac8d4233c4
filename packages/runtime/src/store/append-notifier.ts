/**
 * Tells listeners (projection runners, in this process or others) that events were appended.
 *
 * Why not a trigger: a transaction that sent `NOTIFY` commits under a server-wide lock, so a
 * trigger on `events` serialised every concurrent writer's commit. The store instead notifies
 * after its append has committed, in a statement of its own, never awaited by the append.
 * Notifications carry no payload and are coalesced: at most one is in flight per store, and any
 * number of appends during it, or during the interval after it started, cause exactly one more,
 * sent {@link NOTIFY_INTERVAL_MS} after the previous one started. The first append after a quiet
 * spell (no notification for an interval) notifies at once; under a steady write load a store
 * sends one notification per interval instead of one per append (measured: a notification per
 * append was a second statement per append, a third of the client's and the server's CPU in W1).
 * The interval counts from the previous notification, not only while one is in flight: a
 * sequential writer's appends (well under 5 ms each) otherwise each found the notifier idle and
 * each sent one (`pg_prepared_statements` showed 600 notifications for 600 W1 appends).
 * A lost notification (an error, a closed store) only delays listeners until their next poll,
 * so errors are counted, not thrown.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CompiledQuery } from "kysely";
import { preparable } from "../storage/prepared-statements.js";
import type { QueryRunner } from "../storage/storage.js";

/**
 * The least time between the starts of two notifications of one store, in ms: the most a
 * listener's wake-up is delayed when appends arrive faster than this.
 */
export const NOTIFY_INTERVAL_MS = 5;

/** The coalescing notifier of one store instance. */
export interface AppendNotifier {
  /** Called after an append committed; returns at once. */
  notify(): void;
  /** Resolves when nothing is in flight or pending (used on close and by tests). */
  idle(): Promise<void>;
  /** Notifications that failed (and were dropped) so far. */
  readonly failures: number;
  /** Notifications sent so far. */
  readonly sent: number;
}

/**
 * A notifier whose every notification is one call of `send`. `pause(ms)` waits before a
 * follow-up notification, given how much of the interval is left (tests pass their own).
 */
export function createAppendNotifier(send: () => Promise<unknown>, options: { readonly intervalMs?: number; readonly pause?: (ms: number) => Promise<unknown> } = {}): AppendNotifier {
  const intervalMs = options.intervalMs ?? 0;
  const pause = options.pause ?? ((ms: number) => sleep(ms));
  let inFlight: Promise<void> | undefined;
  let pending = false;
  let failures = 0;
  let sent = 0;
  /** When the previous notification started (performance.now()); none yet: -Infinity. */
  let lastStarted = Number.NEGATIVE_INFINITY;
  const run = (): Promise<void> =>
    (async () => {
      for (;;) {
        const left = intervalMs - (performance.now() - lastStarted);
        if (left > 0) await pause(left);
        pending = false;
        lastStarted = performance.now();
        try {
          await send();
          sent += 1;
        } catch {
          failures += 1;
        }
        if (!pending) break;
      }
      inFlight = undefined;
    })();
  return {
    notify: () => {
      if (inFlight === undefined) inFlight = run();
      else pending = true;
    },
    idle: async () => {
      while (inFlight !== undefined) await inFlight;
    },
    get failures() {
      return failures;
    },
    get sent() {
      return sent;
    },
  };
}

/**
 * A notifier that sends `pg_notify(channel, '')` through `runner` (outside any append
 * transaction), at most once per {@link NOTIFY_INTERVAL_MS}.
 */
export function createPgAppendNotifier(runner: () => QueryRunner, channel: string): AppendNotifier {
  const query = CompiledQuery.raw(preparable("SELECT pg_notify($1, '')"), [channel]);
  return createAppendNotifier(() => runner().execute(query), { intervalMs: NOTIFY_INTERVAL_MS });
}
