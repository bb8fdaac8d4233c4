/**
 * Spans and metrics around the event store's operations, and the trace context and causation
 * recorded in each appended event's metadata. Wraps a store built by `openEventStore`; the store
 * itself knows nothing of OpenTelemetry.
 *
 * Spans: `strata.append`, `strata.append_many`, `strata.read_all` (active, kind CLIENT) and
 * `strata.read_stream` (from the first to the last event read). Attributes: `db.system.name`
 * (`postgresql`, also for PGlite), `db.operation.name`, `db.collection.name` (`<schema>.events`),
 * `strata.stream.id`, `strata.event.count`. Metrics: `strata.append.duration`,
 * `strata.events.appended`, and `strata.erasures` (counted when the erasure event is appended).
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import type { Attributes, Span } from "@opentelemetry/api";
import { ERASURE_STREAM_ID } from "../erasure/system-events.js";
import type { AppendBatch, EventStore } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { ambientMetadata, withAmbient } from "./ambient-metadata.js";
import { errorType, failSpan, inSpan, strataTracer } from "./strata-tracer.js";
import { strataInstruments } from "./strata-metrics.js";
import { DB_SYSTEM, TELEMETRY_ATTRIBUTES as A } from "./telemetry-attributes.js";

const DB_ATTRIBUTES: Attributes = { [A.dbSystemName]: DB_SYSTEM };

/** Records one append's duration and, on success, its events. */
function recordAppend(started: number, events: number, error: unknown): void {
  const { appendDuration, eventsAppended } = strataInstruments();
  const seconds = (performance.now() - started) / 1000;
  if (error === undefined) {
    appendDuration.record(seconds, DB_ATTRIBUTES);
    eventsAppended.add(events, DB_ATTRIBUTES);
  } else {
    appendDuration.record(seconds, { ...DB_ATTRIBUTES, [A.errorType]: errorType(error) });
  }
}

function countErasures(streamId: string, events: readonly RecordedEvent[]): void {
  if (streamId === ERASURE_STREAM_ID) strataInstruments().erasures.add(events.length, { [A.erasureOutcome]: "erased" });
}

/** The attributes every store span carries, for the operation `operation` on `schema`'s events. */
export function storeSpanAttributes(schema: string, operation: string, extra: Attributes = {}): Attributes {
  return { ...DB_ATTRIBUTES, [A.dbOperationName]: operation, [A.dbCollectionName]: `${schema}.events`, ...extra };
}

/** Wraps `store` with spans, metrics and ambient metadata. */
export function instrumentEventStore(store: EventStore, schema: string): EventStore {
  const attributes = (operation: string, extra: Attributes): Attributes => storeSpanAttributes(schema, operation, extra);
  return {
    ...store,
    append: (streamId, events, options = {}) => {
      const started = performance.now();
      const spanAttributes = attributes("append", { [A.streamId]: streamId, [A.eventCount]: Array.isArray(events) ? events.length : 0 });
      return inSpan("strata.append", { kind: SpanKind.CLIENT, attributes: spanAttributes }, async () => {
        // Inside the span: the stored trace context is the append's own.
        const metadata = withAmbient(options.metadata, ambientMetadata());
        try {
          const result = await store.append(streamId, events, metadata === options.metadata ? options : { ...options, metadata });
          recordAppend(started, result.events.length, undefined);
          countErasures(streamId, result.events);
          return result;
        } catch (error) {
          recordAppend(started, 0, error);
          throw error;
        }
      });
    },
    appendMany: (batches) => {
      const started = performance.now();
      const count = batches.reduce((sum, batch) => sum + batch.events.length, 0);
      return inSpan("strata.append_many", { kind: SpanKind.CLIENT, attributes: attributes("append_many", { [A.eventCount]: count }) }, async () => {
        const ambient = ambientMetadata();
        const withMetadata = ambient === undefined ? batches : batches.map((batch): AppendBatch => ({ ...batch, metadata: withAmbient(batch.metadata, ambient) }));
        try {
          const results = await store.appendMany(withMetadata);
          recordAppend(started, results.reduce((sum, result) => sum + result.events.length, 0), undefined);
          for (const result of results) countErasures(result.streamId, result.events);
          return results;
        } catch (error) {
          recordAppend(started, 0, error);
          throw error;
        }
      });
    },
    readAll: (options) =>
      inSpan("strata.read_all", { kind: SpanKind.CLIENT, attributes: attributes("read_all", {}) }, async (span) => {
        const page = await store.readAll(options);
        span.setAttribute(A.eventCount, page.events.length);
        return page;
      }),
    readStream: (streamId, options) => ({
      [Symbol.asyncIterator]: () => tracedIteration(store.readStream(streamId, options), attributes("read_stream", { [A.streamId]: streamId })),
    }),
  };
}

/**
 * Iterates `source` inside a `strata.read_stream` span that ends when the iteration ends
 * (completed, returned early or failed). A function source gets the span, to add attributes. A
 * plain iterator over the source's, not an async generator: one promise step per event instead
 * of a generator's several.
 */
export function tracedIteration<T>(source: AsyncIterable<T> | ((span: Span) => AsyncIterable<T>), attributes: Attributes): AsyncIterator<T> {
  // Both begin on the first next(), as a generator's body would: a read never iterated has no span.
  let iterator: AsyncIterator<T> | undefined;
  let span: Span | undefined;
  let ended = false;
  let count = 0;
  const end = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    if (span === undefined) return;
    if (error !== undefined) failSpan(span, error);
    span.setAttribute(A.eventCount, count);
    span.end();
  };
  const counted = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done === true) end();
    else count += 1;
    return result;
  };
  const failed = (error: unknown): never => {
    end(error);
    throw error;
  };
  return {
    next: () => {
      if (ended) return Promise.resolve({ done: true, value: undefined });
      const current = (span ??= strataTracer().startSpan("strata.read_stream", { kind: SpanKind.CLIENT, attributes }));
      try {
        iterator ??= (typeof source === "function" ? source(current) : source)[Symbol.asyncIterator]();
        return iterator.next().then(counted, failed);
      } catch (error) {
        end(error);
        return Promise.reject(error);
      }
    },
    return: async (value?: unknown) => {
      try {
        const result = iterator?.return === undefined ? undefined : await iterator.return(value);
        end();
        return result ?? { done: true, value: undefined };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
