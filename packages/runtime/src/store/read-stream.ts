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
 * by two pages and each page is one index range scan. Each page checks the tombstone too.
 *
 * The next page's query is sent as soon as a full page arrives, before its events are handed
 * out: the round trip and the server's work overlap the consumer's, instead of adding up. Each
 * page is its own statement either way, so this changes when a page is read, never what a page
 * holds. A consumer that stops early leaves at most one page read unused.
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
  if (remaining <= 0 || low > high) return;

  const fetchPage = (size: number): { readonly size: number; readonly result: Promise<{ readonly rows: PageRow[] }> } => {
    const result = runner.execute<PageRow>(CompiledQuery.raw(text, [streamId, low, high, asOf, size]));
    // Awaited below; this only keeps a page nobody consumes (early break) from an unhandled rejection.
    result.catch(() => undefined);
    return { size, result };
  };

  let page: ReturnType<typeof fetchPage> | undefined = fetchPage(Math.min(pageSize, remaining));
  let firstPage = true;
  while (page !== undefined) {
    const { size, result } = page;
    const { rows } = await result;
    if (rows[0]?.deleted === true) throw new StreamDeletedError({ streamId });
    if (rows.length === 0 && firstPage) {
      const state = await runner.execute<{ deleted: boolean }>(CompiledQuery.raw(statements.streamState, [streamId]));
      if (state.rows[0]?.deleted === true) throw new StreamDeletedError({ streamId });
    }
    firstPage = false;
    remaining -= rows.length;
    const last = rows.at(-1);
    page = undefined;
    if (last !== undefined && rows.length === size && remaining > 0) {
      if (forward) low = Number(last.version) + 1;
      else high = Number(last.version) - 1;
      if (low <= high) page = fetchPage(Math.min(pageSize, remaining));
    }
    for (const row of decrypt === undefined ? rows : await decrypt(rows)) yield toRecordedEvent(row, streamId, upcast);
  }
}
