import { CompiledQuery } from "kysely";
import { InvalidArgumentError, StreamDeletedError } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import type { ReadStreamOptions } from "./event-store.js";
import { toRecordedEvent } from "./event-rows.js";
import type { EventRow } from "./event-rows.js";
import type { RecordedEvent } from "./recorded-event.js";
import type { Statements } from "./statements.js";
import type { UpcastOnRead } from "./upcast-on-read.js";

const DEFAULT_PAGE_SIZE = 1000;
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

type PageRow = EventRow & { readonly deleted: boolean | null };

function checkVersion(name: string, value: number | undefined, streamId: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new InvalidArgumentError(`${name} ${value} for stream "${streamId}" is not a non-negative integer.`);
  }
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new InvalidArgumentError(`${name} must be a positive integer, got ${value}.`);
}

/**
 * Reads a stream page by page with keyset paging on (stream_id, version), so memory is bounded
 * by the page size and each page is one index range scan. Each page checks the tombstone too.
 */
export async function* readStream(
  runner: QueryRunner,
  statements: Statements,
  upcast: UpcastOnRead,
  streamId: string,
  options: ReadStreamOptions = {},
  /** Decrypts a page's personal data before upcasting (set when the store has `personalData`). */
  decrypt?: (rows: readonly PageRow[]) => Promise<readonly PageRow[]>,
): AsyncGenerator<RecordedEvent> {
  if (typeof streamId !== "string" || streamId.length === 0) throw new InvalidArgumentError("A stream id must be a non-empty string.");
  checkVersion("fromVersion", options.fromVersion, streamId);
  checkVersion("toVersion", options.toVersion, streamId);
  checkCount("pageSize", options.pageSize);
  checkCount("limit", options.limit);
  const forward = (options.direction ?? "forward") === "forward";
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let low = forward ? (options.fromVersion ?? 1) : (options.toVersion ?? 1);
  let high = forward ? (options.toVersion ?? MAX_VERSION) : (options.fromVersion ?? MAX_VERSION);
  const asOf = options.asOf ?? null;
  const text = forward ? statements.readForward : statements.readBackward;

  let firstPage = true;
  while (remaining > 0 && low <= high) {
    const size = Math.min(pageSize, remaining);
    const { rows } = await runner.execute<PageRow>(CompiledQuery.raw(text, [streamId, low, high, asOf, size]));
    if (rows[0]?.deleted === true) throw new StreamDeletedError({ streamId });
    if (rows.length === 0 && firstPage) {
      const state = await runner.execute<{ deleted: boolean }>(CompiledQuery.raw(statements.streamState, [streamId]));
      if (state.rows[0]?.deleted === true) throw new StreamDeletedError({ streamId });
    }
    firstPage = false;
    let count = 0;
    for (const row of decrypt === undefined ? rows : await decrypt(rows)) {
      const event = toRecordedEvent(row, streamId, upcast);
      count += 1;
      if (forward) low = event.version + 1;
      else high = event.version - 1;
      yield event;
    }
    remaining -= count;
    if (count < size) return;
  }
}
