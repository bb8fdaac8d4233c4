import type { EventMetadata, RecordedEvent } from "./recorded-event.js";
import { encodeCheckpoint } from "./checkpoint.js";
import type { UpcastOnRead } from "./upcast-on-read.js";

/** An events row as the read statements return it (int8 arrives as string on pg, bigint on PGlite). */
export interface EventRow {
  readonly event_id: string;
  readonly version: string | number | bigint;
  readonly global_position: string | number | bigint;
  readonly transaction_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: EventMetadata | null;
  /** Milliseconds since the epoch. */
  readonly recorded_at_ms: number;
}

const NO_METADATA: EventMetadata = Object.freeze({});

/** Maps a row to a recorded event, upcasting its data to the latest schema version. */
export function toRecordedEvent(row: EventRow, streamId: string, upcast: UpcastOnRead): RecordedEvent {
  const metadata = row.metadata ?? NO_METADATA;
  const eventId = row.event_id;
  const recordedAt = new Date(row.recorded_at_ms);
  const type = row.type;
  const storedVersion = row.schema_version;
  const position = row.global_position;
  let schemaVersion = storedVersion;
  let data = row.data;
  // An event already at its type's latest version skips the upcaster's call and its two objects.
  if (upcast.latestVersion?.(type) !== storedVersion) {
    const latest = upcast({ eventId, streamId, type, schemaVersion: storedVersion, data, metadata, recordedAt });
    schemaVersion = latest.schemaVersion;
    data = latest.data;
  }
  return {
    id: eventId,
    streamId,
    version: Number(row.version),
    globalPosition: BigInt(position),
    checkpoint: encodeCheckpoint(row.transaction_id, typeof position === "string" ? position : position.toString()),
    type,
    schemaVersion,
    storedSchemaVersion: storedVersion,
    data,
    metadata,
    recordedAt,
  };
}
