import { CompiledQuery } from "kysely";
import { DuplicateEventIdError, StreamConflictError, StreamDeletedError } from "../errors.js";
import type { StrataError } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import type { AppendResult } from "./append-result.js";
import { encodeCheckpoint } from "./checkpoint.js";
import { satisfies } from "./expected-version.js";
import type { PreparedBatch } from "./prepare-events.js";
import type { EventMetadata, RecordedEvent } from "./recorded-event.js";
import type { Statements } from "./statements.js";

/** Why an append statement wrote nothing, and what to do about it. */
export type EmptyAppendOutcome =
  | { readonly kind: "replayed"; readonly result: AppendResult }
  | { readonly kind: "failed"; readonly error: StrataError }
  /** The stream changed between the statement and this check; run the statement again. */
  | { readonly kind: "retry"; readonly error: StrataError };

interface KnownIdRow {
  readonly stream_version: string | number | bigint | null;
  readonly stream_deleted: boolean | null;
  /** NULL in the one row that says no id is stored. */
  readonly event_id: string | null;
  readonly stream_id: string;
  readonly version: string | number | bigint;
  readonly global_position: string | number | bigint;
  readonly transaction_id: string;
  readonly schema_version: number;
  readonly metadata: EventMetadata | null;
  readonly recorded_at_ms: number;
  readonly same_content: boolean;
}

/** A row of an id that is stored. */
type StoredIdRow = KnownIdRow & { readonly event_id: string };

interface StreamStateRow {
  readonly version: string | number | bigint;
  readonly deleted: boolean;
}

/** What an append statement whose stream step wrote nothing saw of the stream, in its own snapshot. */
export interface SeenStreamState {
  /** NULL when the stream does not exist. */
  readonly seen_version: string | number | bigint | null;
  readonly seen_deleted: boolean | null;
  /** Whether one of the batch's ids is stored. */
  readonly seen_ids: boolean | null;
}

/**
 * The conflict an append statement proved by itself, or undefined when only a second look can
 * tell (see {@link diagnoseEmptyAppend}). Proved: the stream exists undeleted or not at all, none of
 * the batch's ids is stored, and its version in the statement's snapshot does not satisfy the
 * expectation. When it does satisfy it, the stream step waited for a concurrent writer and saw a
 * newer version than the snapshot holds; a stored id may be a retry to replay; a tombstone is rare.
 */
export function conflictSeenByStep(batch: PreparedBatch, seen: SeenStreamState): EmptyAppendOutcome | undefined {
  if (seen.seen_deleted === true || seen.seen_ids !== false) return undefined;
  const actualVersion = seen.seen_version === null ? 0 : Number(seen.seen_version);
  if (satisfies(batch.expectedVersion, actualVersion)) return undefined;
  return { kind: "failed", error: new StreamConflictError({ streamId: batch.streamId, expectedVersion: batch.expectedVersion, actualVersion }) };
}

/**
 * Reads the stream's state and, for caller-supplied ids, the stored copies of those ids: one
 * statement either way (a conflict under contention costs one round trip here, not two).
 */
export async function diagnoseEmptyAppend(runner: QueryRunner, statements: Statements, batch: PreparedBatch): Promise<EmptyAppendOutcome> {
  let state: StreamStateRow | undefined;
  if (batch.callerIds) {
    const { rows } = await runner.execute<KnownIdRow>(
      CompiledQuery.raw(statements.findEventIds, [
        batch.events.map((event) => event.id),
        batch.events.map((event) => event.type),
        JSON.stringify(batch.events.map((event) => event.data)),
        batch.streamId,
      ]),
    );
    const known = rows.filter((row): row is StoredIdRow => row.event_id !== null);
    const [first] = known;
    if (first !== undefined) return replayOrDuplicate(batch, first, known);
    const row = rows[0];
    if (row?.stream_version != null) state = { version: row.stream_version, deleted: row.stream_deleted === true };
  } else {
    state = (await runner.execute<StreamStateRow>(CompiledQuery.raw(statements.streamState, [batch.streamId]))).rows[0];
  }
  if (state?.deleted === true) return { kind: "failed", error: new StreamDeletedError({ streamId: batch.streamId }) };
  const actualVersion = state === undefined ? 0 : Number(state.version);
  const error = new StreamConflictError({ streamId: batch.streamId, expectedVersion: batch.expectedVersion, actualVersion });
  return satisfies(batch.expectedVersion, actualVersion) ? { kind: "retry", error } : { kind: "failed", error };
}

/**
 * A batch whose ids are all stored, in this stream, with the same type and data, at consecutive
 * versions, is a retry of that append: it gets the original result. Anything else reuses ids.
 */
function replayOrDuplicate(batch: PreparedBatch, first: StoredIdRow, rows: readonly StoredIdRow[]): EmptyAppendOutcome {
  const duplicate = (row: StoredIdRow, reason: string): EmptyAppendOutcome => ({
    kind: "failed",
    error: new DuplicateEventIdError({ eventId: row.event_id, streamId: batch.streamId, existingStreamId: row.stream_id, reason }),
  });
  for (const row of rows) {
    if (row.stream_id !== batch.streamId) return duplicate(row, "(an id is unique across all streams)");
    if (!row.same_content) return duplicate(row, "with a different type or data");
  }
  if (rows.length !== batch.events.length) return duplicate(first, "as part of an append with other events");
  const base = Number(first.version) - 1;
  const events: RecordedEvent[] = [];
  for (const [index, row] of rows.entries()) {
    const event = batch.events[index];
    if (event === undefined || Number(row.version) !== base + index + 1) return duplicate(row, "as part of an append with other events");
    events.push({
      id: row.event_id,
      streamId: row.stream_id,
      version: Number(row.version),
      globalPosition: BigInt(row.global_position),
      checkpoint: encodeCheckpoint(row.transaction_id, row.global_position.toString()),
      type: event.type,
      schemaVersion: event.schemaVersion,
      storedSchemaVersion: row.schema_version,
      data: event.data,
      metadata: row.metadata ?? {},
      recordedAt: new Date(row.recorded_at_ms),
    });
  }
  const lastVersion = base + events.length;
  return { kind: "replayed", result: { streamId: batch.streamId, firstVersion: base + 1, lastVersion, nextExpectedVersion: lastVersion, events } };
}
