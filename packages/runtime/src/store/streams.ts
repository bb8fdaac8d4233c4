import { CompiledQuery } from "kysely";
import { InvalidArgumentError, StreamConflictError, StreamDeletedError } from "../errors.js";
import type { ExpectedVersion } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import type { ListStreamsOptions, StreamInfo, StreamPage } from "./event-store.js";
import { satisfies, streamStepFor } from "./expected-version.js";
import { checkStreamArguments } from "./prepare-events.js";
import { likePrefix } from "./read-all.js";
import type { Statements } from "./statements.js";

interface StreamStateRow {
  readonly version: string | number | bigint;
  readonly deleted: boolean;
}

const DEFAULT_LIST_LIMIT = 100;

/** The stream's version, `undefined` when absent; throws {@link StreamDeletedError} for a tombstone. */
export async function streamVersion(runner: QueryRunner, statements: Statements, streamId: string): Promise<number | undefined> {
  checkStreamArguments(streamId, "any");
  const state = (await runner.execute<StreamStateRow>(CompiledQuery.raw(statements.streamState, [streamId]))).rows[0];
  if (state === undefined) return undefined;
  if (state.deleted) throw new StreamDeletedError({ streamId });
  return Number(state.version);
}

/** One page of live streams in byte order of their ids. */
export async function listStreams(
  runner: QueryRunner,
  statements: Statements,
  options: ListStreamsOptions,
): Promise<StreamPage> {
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  if (!(Number.isSafeInteger(limit) && limit > 0)) throw new InvalidArgumentError(`listStreams limit must be a positive integer, got ${limit}.`);
  const prefix = options.prefix === undefined ? null : likePrefix(options.prefix);
  const { rows } = await runner.execute<{ stream_id: string; version: string | number | bigint; created_at: Date }>(
    CompiledQuery.raw(statements.listStreams, [options.after ?? "", prefix, limit]),
  );
  const streams = rows.map((row): StreamInfo => ({ streamId: row.stream_id, version: Number(row.version), createdAt: row.created_at }));
  return { streams, next: streams.length === limit ? streams.at(-1)?.streamId : undefined };
}

/**
 * Tombstones a stream in one statement guarded like an append. When it changes nothing, a
 * second query tells an already-deleted stream (success: deletion is idempotent) from a conflict.
 */
export async function deleteStream(
  runner: QueryRunner,
  statements: Statements,
  streamId: string,
  expectedVersion: ExpectedVersion,
): Promise<{ readonly streamId: string; readonly version: number }> {
  checkStreamArguments(streamId, expectedVersion);
  const step = streamStepFor(expectedVersion);
  const parameters = step === "extend-at" ? [streamId, expectedVersion] : [streamId];
  const query = CompiledQuery.raw(statements.deleteStream(step), parameters);
  for (let attempt = 1; ; attempt += 1) {
    const deleted = (await runner.execute<{ version: string | number | bigint }>(query)).rows[0];
    if (deleted !== undefined) return { streamId, version: Number(deleted.version) };
    const state = (await runner.execute<StreamStateRow>(CompiledQuery.raw(statements.streamState, [streamId]))).rows[0];
    if (state?.deleted === true) return { streamId, version: Number(state.version) };
    const actualVersion = state === undefined ? 0 : Number(state.version);
    if (!satisfies(expectedVersion, actualVersion) || attempt >= 3) throw new StreamConflictError({ streamId, expectedVersion, actualVersion });
  }
}
