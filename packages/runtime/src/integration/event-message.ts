/**
 * The wire form of a forwarded event, shared by every broker: the body is the event's data as
 * JSON (in the schema version named by `strata-schema-version`), and headers carry everything a
 * consumer needs to deduplicate, order, upcast and trace it. Header names are lower case: NATS and
 * AMQP keep them as given, and the W3C trace headers are lower case by definition.
 *
 * @module
 */
import type { EventMetadata, RecordedEvent } from "../store/recorded-event.js";

/** The headers of a forwarded event. */
export const EVENT_HEADERS = {
  /** The event id (a UUID): the deduplication key on the broker and in the consumer's inbox. */
  eventId: "strata-event-id",
  eventType: "strata-event-type",
  /** The schema version of the body's data; consumers upcast from it with their own registry. */
  schemaVersion: "strata-schema-version",
  streamId: "strata-stream-id",
  /** The event's 1-based version in its stream. */
  streamVersion: "strata-stream-version",
  /** The event's position in the producer store's append sequence (decimal). */
  globalPosition: "strata-global-position",
  /** ISO 8601 time the producer store recorded the event. */
  recordedAt: "strata-recorded-at",
  correlationId: "strata-correlation-id",
  causationId: "strata-causation-id",
  /** The event's whole metadata as JSON. */
  metadata: "strata-metadata",
  /** W3C trace context of the append that created the event. */
  traceparent: "traceparent",
  tracestate: "tracestate",
  contentType: "content-type",
} as const;

/** A message ready for a broker; built by the forwarder, published by an {@link EventPublisher}. */
export interface OutgoingMessage {
  /** The event id: the broker's deduplication key (`Nats-Msg-Id`, AMQP `message-id`, a Kafka header). */
  readonly id: string;
  /** Messages of one stream are published one after another, in stream order. */
  readonly streamId: string;
  /** Subject, routing key or topic, from the forwarder's `destination` mapping. */
  readonly destination: string;
  /** See {@link EVENT_HEADERS}; string values only. */
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8 JSON of the event data. */
  readonly body: Uint8Array;
  /** The event as the forwarder read it (personal data already handled by its policy). */
  readonly event: RecordedEvent;
}

const encoder = new TextEncoder();

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The headers of `event`; `metadata` is the metadata to send (the event's own, by default). */
export function eventHeaders(event: RecordedEvent, metadata: EventMetadata = event.metadata): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.eventId]: event.id,
    [EVENT_HEADERS.eventType]: event.type,
    [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion),
    [EVENT_HEADERS.streamId]: event.streamId,
    [EVENT_HEADERS.streamVersion]: String(event.version),
    [EVENT_HEADERS.globalPosition]: event.globalPosition.toString(),
    [EVENT_HEADERS.recordedAt]: event.recordedAt.toISOString(),
    [EVENT_HEADERS.contentType]: "application/json",
  };
  const optional: [string, string | undefined][] = [
    [EVENT_HEADERS.correlationId, text(metadata.correlationId)],
    [EVENT_HEADERS.causationId, text(metadata.causationId)],
    [EVENT_HEADERS.traceparent, text(metadata["traceparent"])],
    [EVENT_HEADERS.tracestate, text(metadata["tracestate"])],
  ];
  for (const [name, value] of optional) if (value !== undefined) headers[name] = value;
  if (Object.keys(metadata).length > 0) headers[EVENT_HEADERS.metadata] = JSON.stringify(metadata);
  return headers;
}

/** Builds the message of `event` (whose `data` is what goes on the wire) for `destination`. */
export function toOutgoingMessage(event: RecordedEvent, destination: string): OutgoingMessage {
  return { id: event.id, streamId: event.streamId, destination, headers: eventHeaders(event), body: encoder.encode(JSON.stringify(event.data)), event };
}
