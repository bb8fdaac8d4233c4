/**
 * Reads of the in-memory store: one stream (forward or backward, a version range, as of an
 * instant) and the global order after a checkpoint. Rows are decrypted, then upcast with the same
 * code as the PostgreSQL store's reads.
 *
 * @module
 */
import { InvalidArgumentError, StreamDeletedError } from "../errors.js";
import { decodeCheckpoint, encodeCheckpoint } from "../store/checkpoint.js";
import { toRecordedEvent } from "../store/event-rows.js";
import type { ReadAllOptions, ReadAllPage, ReadStreamOptions } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import type { UpcastOnRead } from "../store/upcast-on-read.js";
import type { MemoryPersonalData } from "./memory-personal-data.js";
import type { MemoryEventRow, MemoryEventStorage } from "./memory-storage.js";

const DEFAULT_READ_ALL_LIMIT = 1000;

function checkCount(name: string, value: number | undefined, zeroAllowed = false): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (zeroAllowed ? value >= 0 : value > 0))) {
    throw new InvalidArgumentError(`${name} must be a ${zeroAllowed ? "non-negative" : "positive"} integer, got ${value}.`);
  }
}

async function toEvents(rows: readonly MemoryEventRow[], upcast: UpcastOnRead, personal: MemoryPersonalData | undefined): Promise<RecordedEvent[]> {
  const plain = personal === undefined ? rows : await personal.decrypt(rows);
  return plain.map((row) => toRecordedEvent(row, row.stream_id, upcast));
}

/** Reads one stream; the rows are chosen when reading starts (a snapshot, like one page of the SQL store). */
export async function* readMemoryStream(
  storage: MemoryEventStorage,
  upcast: UpcastOnRead,
  streamId: string,
  options: ReadStreamOptions,
  personal: MemoryPersonalData | undefined,
): AsyncGenerator<RecordedEvent> {
  if (typeof streamId !== "string" || streamId.length === 0) throw new InvalidArgumentError("A stream id must be a non-empty string.");
  checkCount("fromVersion", options.fromVersion, true);
  checkCount("toVersion", options.toVersion, true);
  checkCount("limit", options.limit);
  checkCount("pageSize", options.pageSize);
  const stream = storage.streams.get(streamId);
  if (stream === undefined) return;
  if (stream.deleted) throw new StreamDeletedError({ streamId });
  const forward = (options.direction ?? "forward") === "forward";
  const low = forward ? (options.fromVersion ?? 1) : (options.toVersion ?? 1);
  const high = forward ? (options.toVersion ?? Number.MAX_SAFE_INTEGER) : (options.fromVersion ?? Number.MAX_SAFE_INTEGER);
  const asOf = options.asOf?.getTime();
  let rows = stream.positions
    .map((index) => storage.events[index] as MemoryEventRow)
    .filter((row) => row.version >= low && row.version <= high && (asOf === undefined || row.recorded_at_ms <= asOf));
  if (!forward) rows = rows.reverse();
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  const pageSize = options.pageSize ?? 1000;
  for (let start = 0; start < rows.length; start += pageSize) {
    yield* await toEvents(rows.slice(start, start + pageSize), upcast, personal);
  }
}

/** One page of the global order. Appends are atomic in memory, so nothing can commit late below the end. */
export async function readMemoryAll(
  storage: MemoryEventStorage,
  upcast: UpcastOnRead,
  options: ReadAllOptions,
  personal: MemoryPersonalData | undefined,
): Promise<ReadAllPage> {
  const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
  checkCount("readAll limit", limit);
  const after = Number(decodeCheckpoint(options.after).position);
  const types = options.types === undefined ? undefined : new Set(options.types);
  const rows: MemoryEventRow[] = [];
  let scanned = after;
  for (let index = after; index < storage.events.length && rows.length < limit; index += 1) {
    const row = storage.events[index] as MemoryEventRow;
    scanned = row.global_position;
    if (types !== undefined && !types.has(row.type)) continue;
    if (options.streamPrefix !== undefined && !row.stream_id.startsWith(options.streamPrefix)) continue;
    rows.push(row);
  }
  const caughtUp = rows.length < limit;
  const end = caughtUp ? Math.max(after, storage.events.length) : scanned;
  return { events: await toEvents(rows, upcast, personal), checkpoint: encodeCheckpoint(String(end), String(end)), caughtUp };
}
