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
  const latest = upcast({ eventId, streamId, type: row.type, schemaVersion: row.schema_version, data: row.data, metadata, recordedAt });
  return {
    id: eventId,
    streamId,
    version: Number(row.version),
    globalPosition: BigInt(row.global_position),
    checkpoint: encodeCheckpoint(row.transaction_id, row.global_position.toString()),
    type: row.type,
    schemaVersion: latest.schemaVersion,
    storedSchemaVersion: row.schema_version,
    data: latest.data,
    metadata,
    recordedAt,
  };
}
