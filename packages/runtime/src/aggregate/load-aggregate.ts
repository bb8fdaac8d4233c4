/**
 * Loads an aggregate's state: the newest usable snapshot at or below the target version, then the
 * tail of the stream folded with `evolve`. Time travel (`atVersion`, `asOf`) is the same load
 * with a target other than the stream's end.
 *
 * @module
 */
import type { EventShape } from "../registry.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import type { Decider, DomainErrorShape } from "./decider.js";
import type { EventsReadableBy, EventStoreLike, RecordedEventLike } from "./event-store-like.js";
import type { AggregateLogger, AggregateMetrics } from "./aggregate-observability.js";
import { consoleAggregateLogger, createAggregateMetrics } from "./aggregate-observability.js";
import { AggregateVersionNotFoundError } from "./aggregate-errors.js";
import { InvalidArgumentError } from "../errors.js";
import { loadUsableSnapshot } from "./snapshot-loader.js";

/** Where a load should stop: the stream's end (default), a version, or a point in time. */
export type LoadTarget =
  | { readonly atVersion?: undefined; readonly asOf?: undefined }
  | { readonly atVersion: number; readonly asOf?: undefined }
  | { readonly asOf: Date; readonly atVersion?: undefined };

/** Options of {@link loadAggregate}. */
export type LoadAggregateOptions = LoadTarget & {
  /** Start from a snapshot found here; without it the whole stream is replayed. */
  readonly snapshots?: SnapshotStore;
  readonly logger?: AggregateLogger;
  readonly metrics?: AggregateMetrics;
};

/** A loaded aggregate. */
export interface LoadedAggregate<TState> {
  readonly state: TState;
  /** The stream version the state includes; 0 when the stream had no event (yet). */
  readonly version: number;
  /** The version of the snapshot the load started from; 0 when it replayed from the start. */
  readonly snapshotVersion: number;
  /** How many events were folded on top of the snapshot. */
  readonly replayedEvents: number;
  /** Milliseconds spent reading and folding those events. */
  readonly replayMs: number;
}

/**
 * A recorded event as the decider reads it. The one step typing cannot check: that a stream holds
 * only its aggregate's event types. That each of those types reads as a shape `evolve` accepts is
 * checked by {@link EventsReadableBy} where the store and the decider meet.
 */
export function toReadEvent<TReadEvent extends EventShape>(recorded: Pick<RecordedEventLike, "type" | "data">): TReadEvent {
  return { type: recorded.type, data: recorded.data } as TReadEvent;
}

async function versionAsOf(store: EventStoreLike, streamId: string, asOf: Date): Promise<number> {
  for await (const event of store.readStream(streamId, { direction: "backward", asOf, limit: 1, pageSize: 1 })) return event.version;
  return 0;
}

/**
 * Loads the state of one aggregate. `evolve` receives the events as the store reads them, so
 * it must accept personal-data fields as `T | Erased` when the store's registry has any (see
 * `DeciderFor`); otherwise the call fails to compile.
 *
 * @example
 * ```ts
 * const { state, version } = await loadAggregate(store, bankAccount, "account-42");
 * const lastYear = await loadAggregate(store, bankAccount, "account-42", { asOf: new Date("2025-12-31T23:59:59Z") });
 * ```
 */
export async function loadAggregate<TState, TReadEvent extends EventShape, TRecorded extends RecordedEventLike>(
  store: EventStoreLike<TRecorded>,
  decider: Pick<Decider<TState, never, TReadEvent, DomainErrorShape, TReadEvent>, "name" | "stateVersion" | "initialState" | "evolve" | "stateSchema"> &
    EventsReadableBy<TReadEvent, TRecorded>,
  streamId: string,
  options: LoadAggregateOptions = {},
): Promise<LoadedAggregate<TState>> {
  const logger = options.logger ?? consoleAggregateLogger;
  const metrics = options.metrics ?? createAggregateMetrics();
  let target: number | undefined = options.atVersion;
  if (target !== undefined && (!Number.isInteger(target) || target < 0)) {
    throw new InvalidArgumentError(`Cannot load ${decider.name}: atVersion must be a non-negative integer, got ${String(target)} for stream "${streamId}".`);
  }
  if (options.asOf !== undefined) target = await versionAsOf(store, streamId, options.asOf);
  if (target === 0) return { state: decider.initialState, version: 0, snapshotVersion: 0, replayedEvents: 0, replayMs: 0 };

  const snapshot =
    options.snapshots === undefined ? undefined : await loadUsableSnapshot(options.snapshots, decider, streamId, target, logger, metrics);
  if (snapshot !== undefined) metrics.snapshotsUsed += 1;
  let state = snapshot?.state ?? decider.initialState;
  const snapshotVersion = snapshot?.streamVersion ?? 0;
  let version = snapshotVersion;
  const started = performance.now();
  if (target === undefined || target > snapshotVersion) {
    const range = { fromVersion: snapshotVersion + 1, ...(target === undefined ? {} : { toVersion: target }) };
    for await (const recorded of store.readStream(streamId, range)) {
      state = decider.evolve(state, toReadEvent<TReadEvent>(recorded));
      version = recorded.version;
    }
  }
  const replayMs = performance.now() - started;
  if (target !== undefined && version < target) {
    throw new AggregateVersionNotFoundError(decider.name, streamId, target, version);
  }
  return { state, version, snapshotVersion, replayedEvents: version - snapshotVersion, replayMs };
}
