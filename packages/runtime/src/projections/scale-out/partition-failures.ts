/**
 * The engine's failure policy (see projection-runner.ts), kept per partition by a scale-out
 * worker: which partitions back off, which take their events one at a time to find the failing
 * one, and what happens after the last attempt. A failure delays only its own partition.
 *
 * @module
 */
import type { ResolvedFailurePolicy } from "../../integration/internal/failure-policy.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { HandlerFailure } from "../internal/handler-failure.js";

/** What a partition in trouble remembers (in this worker's memory; a takeover starts afresh). */
interface Trouble {
  /** Attempts on the failing event so far. */
  attempts: number;
  /** Events still to take one per transaction (the failing event is among them). */
  isolate: number;
  /** Database or upcaster failures in a row. */
  infra: number;
  /** Not before (epoch ms). */
  retryAt: number;
}

/** The policy's inputs. */
export interface PartitionFailuresOptions {
  readonly policy: ResolvedFailurePolicy;
  readonly onError: ((error: unknown, info: { readonly partition: number; readonly attempt?: number; readonly eventId?: string; readonly eventType?: string }) => void) | undefined;
  /** After the last attempt on `event`: dead-letter it or stop the partition. */
  readonly exhausted: (partition: number, event: RecordedEvent, attempts: number, cause: unknown) => Promise<void>;
}

/** The per-partition failure state of one worker. */
export function partitionFailures(options: PartitionFailuresOptions) {
  const { policy } = options;
  const trouble = new Map<number, Trouble>();
  return {
    /** How many events the partition's next batch may take: 1 while isolating, `undefined` while it backs off. */
    limit(partition: number, batchSize: number): number | undefined {
      const entry = trouble.get(partition);
      if (entry === undefined) return batchSize;
      if (entry.retryAt > Date.now()) return undefined;
      return entry.isolate > 0 ? 1 : batchSize;
    },
    /** A batch of the partition committed, with `applied` events. */
    succeeded(partition: number, applied: number): void {
      const entry = trouble.get(partition);
      if (entry === undefined) return;
      entry.infra = 0;
      if (applied > 0) {
        entry.attempts = 0;
        entry.isolate = Math.max(0, entry.isolate - applied);
      }
      if (entry.attempts === 0 && entry.isolate === 0) trouble.delete(partition);
    },
    /** Forgets a partition (given back, or rebuilt). */
    forget(partition?: number): void {
      if (partition === undefined) trouble.clear();
      else trouble.delete(partition);
    },
    /** A batch of the partition failed with `error`; resolves to whether to run it again at once. */
    async failed(partition: number, error: unknown): Promise<boolean> {
      const entry = trouble.get(partition) ?? { attempts: 0, isolate: 0, infra: 0, retryAt: 0 };
      trouble.set(partition, entry);
      if (!(error instanceof HandlerFailure)) {
        // The database or an upcaster failed, not the handler: retried without end, never skipped.
        entry.infra += 1;
        options.onError?.(error, { partition });
        entry.retryAt = Date.now() + Math.min(5_000, 50 * 2 ** Math.min(entry.infra, 7));
        return false;
      }
      const [event] = error.events;
      if (error.events.length > 1 || event === undefined) {
        // Find the failing event: take this batch's events one per transaction.
        entry.isolate = error.events.length;
        return true;
      }
      entry.attempts += 1;
      options.onError?.(error.cause, { partition, attempt: entry.attempts, eventId: event.id, eventType: event.type });
      if (entry.attempts < policy.maxAttempts) {
        entry.retryAt = Date.now() + policy.backoff(entry.attempts);
        return false;
      }
      trouble.delete(partition);
      await options.exhausted(partition, event, entry.attempts, error.cause);
      return true;
    },
  };
}
