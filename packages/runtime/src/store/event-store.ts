import type { ExpectedVersion } from "../errors.js";
import type { EventShape } from "../registry.js";
import type { AppendResult } from "./append-result.js";
import type { Checkpoint, EventMetadata, NewEvent, RecordedEvent } from "./recorded-event.js";

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  /** Default `"any"`. A number is the exact current version (`0` = the stream must not exist). */
  readonly expectedVersion?: ExpectedVersion | undefined;
  /** Metadata for every event of the batch; an event's own metadata wins field by field. */
  readonly metadata?: EventMetadata | undefined;
}

/** One stream's share of {@link EventStore.appendMany}. */
export interface AppendBatch<E extends EventShape = EventShape> {
  readonly streamId: string;
  readonly events: readonly NewEvent<E>[];
  readonly expectedVersion?: ExpectedVersion | undefined;
  readonly metadata?: EventMetadata | undefined;
}

/**
 * Options of {@link EventStore.readStream}. Forward reads versions `fromVersion` (default 1) up to
 * `toVersion`; backward reads from `fromVersion` (default: the last) down to `toVersion` (default 1).
 */
export interface ReadStreamOptions {
  readonly direction?: "forward" | "backward" | undefined;
  readonly fromVersion?: number | undefined;
  readonly toVersion?: number | undefined;
  /** Only events recorded at or before this instant: the stream as it was then. */
  readonly asOf?: Date | undefined;
  /** At most this many events in total. */
  readonly limit?: number | undefined;
  /** Events fetched per round trip (default 1000); memory stays bounded by it. */
  readonly pageSize?: number | undefined;
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /** Continue after this checkpoint; omit to start at the beginning. */
  readonly after?: Checkpoint | undefined;
  /** Most events to return (default 1000). */
  readonly limit?: number | undefined;
  /** Only these event types (filtered in SQL). */
  readonly types?: readonly string[] | undefined;
  /** Only streams whose id starts with this (filtered in SQL). */
  readonly streamPrefix?: string | undefined;
}

/** One page of the global order. */
export interface ReadAllPage<E extends EventShape = EventShape> {
  readonly events: readonly RecordedEvent<E>[];
  /** Pass to the next `readAll({ after })`. May move past the last event when nothing else can appear before it. */
  readonly checkpoint: Checkpoint;
  /** True when the page ended because no further event was readable yet (rather than at `limit`). */
  readonly caughtUp: boolean;
}

/** Options of {@link EventStore.listStreams}. */
export interface ListStreamsOptions {
  /** Only streams whose id starts with this. */
  readonly prefix?: string | undefined;
  /** Continue after this stream id (a page's `next`). */
  readonly after?: string | undefined;
  /** Most streams per page (default 100). */
  readonly limit?: number | undefined;
}

/** A live stream as {@link EventStore.listStreams} reports it. */
export interface StreamInfo {
  readonly streamId: string;
  readonly version: number;
  readonly createdAt: Date;
}

/** One page of {@link EventStore.listStreams}. */
export interface StreamPage {
  readonly streams: readonly StreamInfo[];
  /** Pass as `after` for the next page; `undefined` on the last page. */
  readonly next: string | undefined;
}

/**
 * The event store: append-only streams with optimistic concurrency, a global order for
 * projections, and upcasting on read. Created by {@link createEventStore}. `E` is the event union
 * as written (appends); `R` the same events as read, where personal-data fields may be `Erased`
 * (it defaults to `E` for registries without personal data). `out` pins `R`'s variance: TypeScript
 * measures it through the conditional `RecordedEvent<R>` as unconstrained, and would otherwise let
 * a store that reads `T | Erased` pass for one that reads `T`.
 */
export interface EventStore<E extends EventShape = EventShape, out R extends EventShape = E> {
  /**
   * Appends `events` to one stream atomically, after validating all of them. Throws
   * `StreamConflictError` when `expectedVersion` does not hold, `EventValidationError` or
   * `UnknownEventTypeError` before writing anything, `StreamDeletedError` after deletion, and
   * `DuplicateEventIdError` when a supplied id is already stored with other content. Retrying an
   * append with the same ids returns the original result.
   */
  append(streamId: string, events: readonly NewEvent<E>[], options?: AppendOptions): Promise<AppendResult<E>>;
  /**
   * Appends to several streams in one transaction, each batch with its own expected version:
   * all batches land, or none does. Results come back in the order of `batches`.
   */
  appendMany(batches: readonly AppendBatch<E>[]): Promise<readonly AppendResult<E>[]>;
  /** Reads one stream in pages, upcast to the latest schemas. A missing stream yields nothing; a deleted one throws `StreamDeletedError`. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent<R>>;
  /** Reads the global order after a checkpoint. Never skips an event that commits late. */
  readAll(options?: ReadAllOptions): Promise<ReadAllPage<R>>;
  /** The stream's current version; `undefined` when it does not exist. Throws `StreamDeletedError` for a deleted stream. */
  streamVersion(streamId: string): Promise<number | undefined>;
  /** Lists live (not deleted) streams in byte order of their ids. */
  listStreams(options?: ListStreamsOptions): Promise<StreamPage>;
  /**
   * Tombstones a stream: it can no longer be read, appended to or recreated; its events stay in
   * the global order. Deleting a deleted stream does nothing. Returns the version it ended at.
   */
  deleteStream(streamId: string, options?: { readonly expectedVersion?: ExpectedVersion | undefined }): Promise<{ readonly streamId: string; readonly version: number }>;
  /** Closes what the store opened (not instances or pools passed in). Later calls throw `StoreUnavailableError`. */
  close(): Promise<void>;
}
