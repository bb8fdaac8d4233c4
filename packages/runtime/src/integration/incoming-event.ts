/**
 * Reading a forwarded event back: headers and body into a `RecordedEvent` of the consumer's own
 * registry. The body's data is in the schema version of the `strata-schema-version` header (the
 * producer's latest). The consumer validates it against that version of its own registry and
 * upcasts it to its latest with its own upcasters; when the producer is ahead (a version the
 * consumer does not know yet), the data is accepted only if it validates against the consumer's
 * latest version, which holds for forward-compatible changes (see docs/integration.md).
 *
 * @module
 */
import { validate as isUuid } from "uuid";
import { systemEventSpec } from "../erasure/system-events.js";
import { isStrataError } from "../errors.js";
import type { EventRegistry, EventVersionSpec } from "../registry.js";
import type { EventMetadata, RecordedEvent } from "../store/recorded-event.js";
import { createUpcastOnRead } from "../store/upcast-on-read.js";
import { EVENT_HEADERS } from "./event-message.js";
import { MessageIncompatibleError, MessageInvalidError } from "./integration-errors.js";

/** A message as a broker adapter hands it to an inbox. */
export interface IncomingMessage {
  /** The broker's id of this delivery (a stream sequence, a delivery tag), for error messages and dead letters. */
  readonly messageId: string;
  /** Reads a header; `undefined` when absent. */
  header(name: string): string | undefined;
  readonly body: Uint8Array;
  /**
   * The message's place in an ordered source (a JetStream stream's sequence). The inbox stores
   * the highest applied one per source with the read model, and skips messages at or below it.
   */
  readonly position?: { readonly source: string; readonly sequence: bigint };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Reads the event headers of `message` without decoding the body. */
export function peekEvent(consumer: string, message: IncomingMessage): { readonly id: string; readonly type: string } {
  const id = message.header(EVENT_HEADERS.eventId);
  const type = message.header(EVENT_HEADERS.eventType);
  if (id === undefined || !isUuid(id)) throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${EVENT_HEADERS.eventId} is missing or not a UUID` });
  if (type === undefined || type === "") throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${EVENT_HEADERS.eventType} is missing` });
  return { id: id.toLowerCase(), type };
}

function integer(consumer: string, message: IncomingMessage, name: string, minimum: number): number {
  const text = message.header(name);
  const value = text === undefined || !/^\d{1,15}$/.test(text) ? Number.NaN : Number(text);
  if (!(value >= minimum)) throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${name} is missing or not an integer ≥ ${minimum}` });
  return value;
}

function metadataOf(consumer: string, message: IncomingMessage): EventMetadata {
  const text = message.header(EVENT_HEADERS.metadata);
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as EventMetadata;
  } catch {
    // reported below
  }
  throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${EVENT_HEADERS.metadata} is not a JSON object` });
}

/** Decodes messages into events of one consumer's registry; see the module comment. */
export function createIncomingDecoder(consumer: string, registry: EventRegistry): (message: IncomingMessage) => RecordedEvent {
  const upcast = createUpcastOnRead(registry);
  return (message) => {
    const { id, type } = peekEvent(consumer, message);
    const schemaVersion = integer(consumer, message, EVENT_HEADERS.schemaVersion, 1);
    const streamId = message.header(EVENT_HEADERS.streamId) ?? "";
    if (streamId === "") throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${EVENT_HEADERS.streamId} is missing` });
    const version = integer(consumer, message, EVENT_HEADERS.streamVersion, 1);
    const position = message.header(EVENT_HEADERS.globalPosition);
    const recordedAt = new Date(message.header(EVENT_HEADERS.recordedAt) ?? Number.NaN);
    if (Number.isNaN(recordedAt.getTime())) throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: `header ${EVENT_HEADERS.recordedAt} is missing or not a date` });
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(message.body));
    } catch {
      throw new MessageInvalidError({ consumer, messageId: message.messageId, problem: "the body is not UTF-8 JSON" });
    }
    const metadata = metadataOf(consumer, message);
    const incompatible = (reason: string, cause?: unknown) =>
      new MessageIncompatibleError({ consumer, eventId: id, eventType: type, schemaVersion, reason, ...(cause === undefined ? {} : { cause }) });
    const spec = registry.events[type] ?? systemEventSpec(type);
    if (spec === undefined) throw incompatible(`the registry "${registry.context}" has no such event type`);
    const known = Math.min(schemaVersion, spec.latestVersion);
    const versionSpec: EventVersionSpec | undefined = spec.versions[known];
    if (versionSpec === undefined) throw incompatible(`the registry declares no v${known}`);
    const checked = (versionSpec.readValidator ?? versionSpec.validator).safeParse(raw);
    if (!checked.success) {
      const fields = checked.error.issues.slice(0, 5).map((issue) => `/${issue.path.map(String).join("/")}`);
      const ahead = schemaVersion > spec.latestVersion ? `it is newer than the consumer's v${spec.latestVersion}, and ` : "";
      throw incompatible(`${ahead}its data does not match v${known} (${fields.join(", ")})`);
    }
    let upcast_: { readonly schemaVersion: number; readonly data: unknown };
    try {
      upcast_ = upcast({ eventId: id, streamId, type, schemaVersion: known, data: checked.data, metadata, recordedAt });
    } catch (error) {
      if (isStrataError(error)) throw incompatible(`upcasting failed (${error.code})`, error);
      throw error;
    }
    const globalPosition = position !== undefined && /^\d{1,20}$/.test(position) ? BigInt(position) : 0n;
    const checkpoint = message.position === undefined ? "" : `${message.position.source}:${message.position.sequence.toString()}`;
    return {
      id,
      streamId,
      version,
      globalPosition,
      checkpoint,
      type,
      schemaVersion: upcast_.schemaVersion,
      storedSchemaVersion: schemaVersion,
      data: upcast_.data,
      metadata,
      recordedAt,
    } as RecordedEvent;
  };
}
