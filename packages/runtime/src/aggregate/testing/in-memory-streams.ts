/**
 * A minimal in-memory event store for the aggregate layer's unit tests: append with expected
 * versions (and the real `StreamConflictError`), read forward/backward with version bounds and
 * `asOf`. Not exported; integration tests run against the real store.
 */
import { StreamConflictError } from "../../errors.js";
import type { EventStoreLike, ExpectedVersionLike, NewEventLike, ReadStreamOptionsLike, RecordedEventLike } from "../event-store-like.js";

/** The double, with hooks to make tests deterministic. */
export interface InMemoryStreams extends EventStoreLike {
  /** Every recorded event of a stream, in order. */
  events(streamId: string): readonly RecordedEventLike[];
  /** Calls to `append`, successful or not. */
  readonly appendCalls: { count: number };
}

/** Creates the double. `clock` stamps `recordedAt` (default: a fake clock advancing 1 s per event). */
export function createInMemoryStreams(clock?: () => Date): InMemoryStreams {
  const streams = new Map<string, RecordedEventLike[]>();
  let tick = Date.UTC(2026, 0, 1);
  const now = clock ?? (() => new Date((tick += 1000)));
  const appendCalls = { count: 0 };
  let nextId = 1;

  function check(streamId: string, actual: number, expected: ExpectedVersionLike | undefined): void {
    const ok =
      expected === undefined || expected === "any"
        ? true
        : expected === "no_stream"
          ? actual === 0
          : expected === "stream_exists"
            ? actual > 0
            : actual === expected;
    if (!ok) throw new StreamConflictError({ streamId, expectedVersion: expected ?? "any", actualVersion: actual });
  }

  return {
    appendCalls,
    events: (streamId) => streams.get(streamId) ?? [],
    async append(streamId: string, events: readonly NewEventLike[], options: { readonly expectedVersion?: ExpectedVersionLike }) {
      appendCalls.count += 1;
      await Promise.resolve(); // an append is asynchronous: let racing callers interleave
      const stream = streams.get(streamId) ?? [];
      check(streamId, stream.length, options.expectedVersion);
      const recorded = events.map(
        (event, index): RecordedEventLike => ({
          id: event.id ?? `event-${nextId++}`,
          streamId,
          version: stream.length + index + 1,
          type: event.type,
          data: structuredClone(event.data),
          recordedAt: now(),
        }),
      );
      streams.set(streamId, [...stream, ...recorded]);
      return { nextExpectedVersion: stream.length + recorded.length, events: recorded };
    },
    async *readStream(streamId: string, options: ReadStreamOptionsLike = {}) {
      const from = options.fromVersion ?? 1;
      const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
      const asOf = options.asOf;
      const selected = (streams.get(streamId) ?? []).filter(
        (event) => event.version >= from && event.version <= to && (asOf === undefined || event.recordedAt <= asOf),
      );
      if (options.direction === "backward") selected.reverse();
      for (const event of selected) {
        await Promise.resolve();
        yield event;
      }
    },
  };
}
