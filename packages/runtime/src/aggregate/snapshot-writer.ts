/**
 * Writes snapshots after a command's append has committed, off the command's path: the write
 * starts on a later turn of the event loop, and its failures are logged and counted, never thrown.
 *
 * @module
 */
import type { EventShape } from "../registry.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import { encodeSnapshotState } from "../snapshots/snapshot-codec.js";
import type { Decider, DomainErrorShape } from "./decider.js";
import type { AggregateLogger, AggregateMetrics } from "./aggregate-observability.js";
import { describeErrorForLog } from "./aggregate-observability.js";

/** Background snapshot writes of one command handler. */
export interface SnapshotWriter<TState> {
  /** Queues a snapshot of `state` at `streamVersion`; returns at once. */
  schedule(streamId: string, state: TState, streamVersion: number): void;
  /** Resolves when every queued write has finished (successfully or not). For tests and shutdown. */
  flush(): Promise<void>;
}

/** Creates the writer a command handler uses. */
export function createSnapshotWriter<TState>(
  store: SnapshotStore,
  decider: Pick<Decider<TState, never, EventShape, DomainErrorShape>, "name" | "stateVersion" | "subjects">,
  logger: AggregateLogger,
  metrics: AggregateMetrics,
): SnapshotWriter<TState> {
  const pending = new Set<Promise<void>>();

  async function write(streamId: string, state: TState, streamVersion: number): Promise<void> {
    const fields = { streamId, aggregate: decider.name, streamVersion };
    try {
      const outcome = await store.save({
        streamId,
        aggregate: decider.name,
        stateVersion: decider.stateVersion,
        streamVersion,
        data: encodeSnapshotState(state),
        subjects: [...new Set(decider.subjects?.(state) ?? [])],
      });
      if (outcome === "refused") {
        metrics.snapshotsRefused += 1;
        logger.debug("snapshot not written: it would hold an erased subject's data", fields);
      } else {
        metrics.snapshotsWritten += 1;
      }
    } catch (error) {
      metrics.snapshotWriteFailures += 1;
      logger.warn("snapshot write failed; the command is unaffected", { ...fields, error: describeErrorForLog(error) });
    }
  }

  return {
    schedule(streamId, state, streamVersion) {
      const task = new Promise<void>((resolve) => setImmediate(resolve)).then(() => write(streamId, state, streamVersion));
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
