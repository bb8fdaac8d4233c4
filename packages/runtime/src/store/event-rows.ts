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

/** Builds a recorded event from a row's values, upcasting its data to the latest schema version. */
function recordedEvent(
  eventId: string,
  streamId: string,
  version: string | number | bigint,
  position: string | number | bigint,
  transactionId: string,
  type: string,
  storedVersion: number,
  storedData: unknown,
  storedMetadata: EventMetadata | null,
  recordedAtMs: number,
  upcast: UpcastOnRead,
): RecordedEvent {
  const metadata = storedMetadata ?? NO_METADATA;
  const recordedAt = new Date(recordedAtMs);
  let schemaVersion = storedVersion;
  let data = storedData;
  // An event already at its type's latest version skips the upcaster's call and its two objects.
  if (upcast.latestVersion?.(type) !== storedVersion) {
    const latest = upcast({ eventId, streamId, type, schemaVersion: storedVersion, data, metadata, recordedAt });
    schemaVersion = latest.schemaVersion;
    data = latest.data;
  }
  return {
    id: eventId,
    streamId,
    version: Number(version),
    globalPosition: BigInt(position),
    checkpoint: encodeCheckpoint(transactionId, typeof position === "string" ? position : position.toString()),
    type,
    schemaVersion,
    storedSchemaVersion: storedVersion,
    data,
    metadata,
    recordedAt,
  };
}

/** Maps a row to a recorded event, upcasting its data to the latest schema version. */
export function toRecordedEvent(row: EventRow, streamId: string, upcast: UpcastOnRead): RecordedEvent {
  return recordedEvent(
    row.event_id,
    streamId,
    row.version,
    row.global_position,
    row.transaction_id,
    row.type,
    row.schema_version,
    row.data,
    row.metadata,
    row.recorded_at_ms,
    upcast,
  );
}

/**
 * Maps an array row to the same recorded event as {@link toRecordedEvent}, without the row object
 * in between. The row starts with the columns of {@link EventRow} in the order the read statements
 * select them (statements.ts, EVENT_COLUMNS): event_id, version, global_position, transaction_id,
 * type, schema_version, data, metadata, recorded_at_ms.
 */
export function arrayRowToRecordedEvent(values: readonly unknown[], streamId: string, upcast: UpcastOnRead): RecordedEvent {
  return recordedEvent(
    values[0] as string,
    streamId,
    values[1] as string | number | bigint,
    values[2] as string | number | bigint,
    values[3] as string,
    values[4] as string,
    values[5] as number,
    values[6],
    values[7] as EventMetadata | null,
    values[8] as number,
    upcast,
  );
}

