/**
 * Tells listeners (projection runners, in this process or others) that events were appended.
 *
 * Why not a trigger: a transaction that sent `NOTIFY` commits under a server-wide lock, so a
 * trigger on `events` serialised every concurrent writer's commit. The store instead notifies
 * after its append has committed, in a statement of its own, never awaited by the append.
 * Notifications carry no payload and are coalesced: at most one is in flight per store, and any
 * number of appends during it cause exactly one more afterwards. A lost notification (an error,
 * a closed store) only delays listeners until their next poll, so errors are counted, not thrown.
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner } from "../storage/storage.js";

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

/** A notifier whose every notification is one call of `send`. */
export function createAppendNotifier(send: () => Promise<unknown>): AppendNotifier {
  let inFlight: Promise<void> | undefined;
  let pending = false;
  let failures = 0;
  let sent = 0;
  const run = (): Promise<void> =>
    (async () => {
      do {
        pending = false;
        try {
          await send();
          sent += 1;
        } catch {
          failures += 1;
        }
      } while (pending);
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

/** A notifier that sends `pg_notify(channel, '')` through `runner` (outside any append transaction). */
export function createPgAppendNotifier(runner: () => QueryRunner, channel: string): AppendNotifier {
  const query = CompiledQuery.raw("SELECT pg_notify($1, '')", [channel]);
  return createAppendNotifier(() => runner().execute(query));
}
