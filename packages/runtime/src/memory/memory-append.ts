/**
 * The append of the in-memory store, with the PostgreSQL store's rules: an expected version per
 * stream, all batches or none, tombstones, and caller-supplied ids that make a retry return the
 * original result (the same ids with other content, or in another stream, are a duplicate).
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { DuplicateEventIdError, StreamConflictError, StreamDeletedError } from "../errors.js";
import type { AppendResult } from "../store/append-result.js";
import { encodeCheckpoint } from "../store/checkpoint.js";
import { satisfies } from "../store/expected-version.js";
import type { PreparedBatch } from "../store/prepare-events.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import type { MemoryPersonalData } from "./memory-personal-data.js";
import { jsonCopy } from "./memory-storage.js";
import type { MemoryEventRow, MemoryEventStorage } from "./memory-storage.js";

const NO_METADATA = Object.freeze({});

function recorded(row: MemoryEventRow, data: unknown): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    globalPosition: BigInt(row.global_position),
    checkpoint: encodeCheckpoint(row.transaction_id, String(row.global_position)),
    type: row.type,
    schemaVersion: row.schema_version,
    storedSchemaVersion: row.schema_version,
    data,
    metadata: row.metadata ?? NO_METADATA,
    recordedAt: new Date(row.recorded_at_ms),
  } as RecordedEvent;
}

function result(streamId: string, events: readonly RecordedEvent[]): AppendResult {
  const first = events[0]?.version ?? 0;
  const lastVersion = first + events.length - 1;
  return { streamId, firstVersion: first, lastVersion, nextExpectedVersion: lastVersion, events };
}

/** The original result when `batch` retries an append whose ids are stored; throws on a duplicate id; `undefined` when no id is known. */
async function replay(storage: MemoryEventStorage, batch: PreparedBatch, personal: MemoryPersonalData | undefined): Promise<AppendResult | undefined> {
  if (!batch.callerIds) return undefined;
  const stored = batch.events.flatMap((event) => {
    const index = storage.byId.get(event.id);
    return index === undefined ? [] : [storage.events[index] as MemoryEventRow];
  });
  const [first] = stored;
  if (first === undefined) return undefined;
  const duplicate = (row: MemoryEventRow, reason: string): DuplicateEventIdError =>
    new DuplicateEventIdError({ eventId: row.event_id, streamId: batch.streamId, existingStreamId: row.stream_id, reason });
  const plain = personal === undefined ? stored : await personal.decrypt(stored);
  for (const [index, row] of plain.entries()) {
    const event = batch.events.find((candidate) => candidate.id === row.event_id);
    if (row.stream_id !== batch.streamId) throw duplicate(row, "(an id is unique across all streams)");
    if (event === undefined || event.type !== row.type || !isDeepStrictEqual(jsonCopy(event.data), row.data)) throw duplicate(stored[index] ?? row, "with a different type or data");
  }
  const inOrder = stored.length === batch.events.length && stored.every((row, index) => row.event_id === batch.events[index]?.id && row.version === first.version + index);
  if (!inOrder) throw duplicate(first, "as part of an append with other events");
  return result(batch.streamId, stored.map((row, index) => recorded(row, batch.events[index]?.data)));
}

/**
 * Appends `batches` atomically: every check runs before anything is written. Must run alone
 * (the store serialises its appends), since encryption awaits between the checks and the write.
 */
export async function appendBatches(storage: MemoryEventStorage, batches: readonly PreparedBatch[], personal: MemoryPersonalData | undefined): Promise<AppendResult[]> {
  const replayed = await Promise.all(batches.map((batch) => replay(storage, batch, personal)));
  for (const [index, batch] of batches.entries()) {
    if (replayed[index] !== undefined) continue;
    const stream = storage.streams.get(batch.streamId);
    if (stream?.deleted === true) throw new StreamDeletedError({ streamId: batch.streamId });
    const actualVersion = stream?.version ?? 0;
    if (!satisfies(batch.expectedVersion, actualVersion)) throw new StreamConflictError({ streamId: batch.streamId, expectedVersion: batch.expectedVersion, actualVersion });
  }
  const sealed = await Promise.all(
    batches.map((batch, index) => (replayed[index] !== undefined ? [] : Promise.all(batch.events.map(async (event) => (personal === undefined ? event.data : personal.encrypt(event)))))),
  );
  // From here on nothing awaits: the write is atomic.
  const recordedAtMs = Date.now();
  return batches.map((batch, index) => {
    const done = replayed[index];
    if (done !== undefined) return done;
    let stream = storage.streams.get(batch.streamId);
    if (stream === undefined) {
      stream = { version: 0, deleted: false, createdAt: new Date(recordedAtMs), positions: [] };
      storage.streams.set(batch.streamId, stream);
    }
    const events = batch.events.map((event, at) => {
      const position = storage.events.length + 1;
      const row: MemoryEventRow = {
        stream_id: batch.streamId,
        event_id: event.id,
        version: stream.version + 1,
        global_position: position,
        transaction_id: String(position),
        type: event.type,
        schema_version: event.schemaVersion,
        data: jsonCopy(sealed[index]?.[at]),
        metadata: event.metadata === undefined ? null : jsonCopy(event.metadata),
        recorded_at_ms: recordedAtMs,
      };
      storage.events.push(row);
      storage.byId.set(event.id, position - 1);
      stream.positions.push(position - 1);
      stream.version += 1;
      return recorded(row, event.data);
    });
    return result(batch.streamId, events);
  });
}
