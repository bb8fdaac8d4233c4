/**
 * The slice of the event store that aggregates use. Structural on purpose: command handling and
 * loading need only `append` and `readStream`, so they run against the real store, a decorated
 * one, or a test double alike.
 *
 * @module
 */

/** The expected version an append carries. `0` and `"no_stream"` both mean "the stream must not exist yet". */
export type ExpectedVersionLike = number | "no_stream" | "stream_exists" | "any";

/** An event as the store recorded it (the fields aggregates read). */
export interface RecordedEventLike {
  readonly id: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: Date;
}

/** An event to append. */
export interface NewEventLike {
  readonly type: string;
  readonly data: unknown;
  readonly id?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** How to read one stream. */
export interface ReadStreamOptionsLike {
  readonly direction?: "forward" | "backward";
  readonly fromVersion?: number;
  readonly toVersion?: number;
  readonly asOf?: Date;
  /** At most this many events in total. */
  readonly limit?: number;
  readonly pageSize?: number;
}

/** What an append reports back. */
export interface AppendResultLike<TRecorded extends RecordedEventLike = RecordedEventLike> {
  readonly nextExpectedVersion: number;
  readonly events: readonly TRecorded[];
}

/** What aggregates need from an event store. `createEventStore(...)` satisfies it. */
export interface EventStoreLike<TRecorded extends RecordedEventLike = RecordedEventLike> {
  append(
    streamId: string,
    events: readonly NewEventLike[],
    options: { readonly expectedVersion?: ExpectedVersionLike },
  ): Promise<AppendResultLike<TRecorded>>;
  readStream(streamId: string, options?: ReadStreamOptionsLike): AsyncIterable<TRecorded>;
}

/** The event shapes a store's recorded events carry (a union when the store is typed by a registry). */
export type StoredEventShape<TRecorded> = TRecorded extends { readonly type: infer T; readonly data: infer D } ? { readonly type: T; readonly data: D } : never;

/** The store's read shapes of the event types `TType`. */
type StoredShapesOf<TRecorded, TType> = Extract<StoredEventShape<TRecorded>, { readonly type: TType }>;

/**
 * Resolves to `unknown` when every event of a decider is one the store accepts, and to an object
 * type naming the problem otherwise, so a decider over another registry's events fails to compile.
 */
export type EventsAcceptedBy<TEvent, TRecorded> = [TEvent] extends [StoredEventShape<TRecorded>]
  ? unknown
  : { readonly "decider events are not in the store's registry": Exclude<TEvent, StoredEventShape<TRecorded>> };

/**
 * Resolves to `unknown` when `evolve` accepts each of the decider's event types as the store reads
 * it, and to an object type naming the problem otherwise: a decider whose `evolve` takes a
 * personal-data field as plain `T` on a store that reads it as `T | Erased` fails to compile.
 * A store typed only as {@link RecordedEventLike} (`data: unknown`) cannot be checked and passes.
 */
export type EventsReadableBy<TReadEvent extends { readonly type: string }, TRecorded> = [StoredShapesOf<TRecorded, TReadEvent["type"]>] extends [TReadEvent]
  ? unknown
  : { readonly "evolve does not accept the events as the store reads them (personal-data fields may be Erased)": Exclude<StoredShapesOf<TRecorded, TReadEvent["type"]>, TReadEvent> };
