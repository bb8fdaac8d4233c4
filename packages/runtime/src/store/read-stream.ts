import { CompiledQuery } from "kysely";
import { InvalidArgumentError, StreamDeletedError } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import type { ReadStreamOptions } from "./event-store.js";
import { arrayRowToRecordedEvent, toRecordedEvent } from "./event-rows.js";
import type { EventRow } from "./event-rows.js";
import type { RecordedEvent } from "./recorded-event.js";
import type { Statements } from "./statements.js";
import type { UpcastOnRead } from "./upcast-on-read.js";

const DEFAULT_PAGE_SIZE = 1000;
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

/**
 * A page row: an event. A deleted stream's page is instead one row of NULLs (its tombstone, see
 * statements.ts), which `#receive` turns into {@link StreamDeletedError} before anything reads it.
 */
type PageRow = EventRow;

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
 * by two pages and each page is one index range scan. Each page checks the tombstone too, in the
 * same statement: an empty read costs one round trip, like any other.
 *
 * The next page's query is sent as soon as a full page arrives, before its events are handed
 * out: the round trip and the server's work overlap the consumer's, instead of adding up. Each
 * page is its own statement either way, so this changes when a page is read, never what a page
 * holds. A consumer that stops early leaves at most one page read unused.
 *
 * A hand-written iterator rather than an async generator: an event of a page already read is
 * handed out as an already resolved promise, without the generator's extra scheduling per
 * event. Arguments are checked on the first `next()`, as a generator's body would.
 */
export function readStream(
  runner: QueryRunner,
  statements: Statements,
  upcast: UpcastOnRead,
  streamId: string,
  options: ReadStreamOptions = {},
  /** Decrypts a page's personal data before upcasting (set when the store has `personalData`). */
  decrypt?: (rows: readonly PageRow[]) => Promise<readonly PageRow[]>,
): AsyncIterableIterator<RecordedEvent> {
  return new StreamReader(runner, statements, upcast, streamId, options, decrypt);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A page read: row objects, or (when the runner offers them and there is nothing to decrypt)
 * array rows, turned into recorded events without a row object in between.
 */
type Page = { readonly arrays: false; readonly rows: readonly PageRow[] } | { readonly arrays: true; readonly rows: readonly (readonly unknown[])[] };

interface PendingPage {
  readonly size: number;
  readonly result: Promise<Page>;
}

class StreamReader implements AsyncIterableIterator<RecordedEvent> {
  #rows: readonly (PageRow | readonly unknown[])[] = [];
  #arrays = false;
  #index = 0;
  #page: PendingPage | undefined;
  #started = false;
  #finished = false;
  #remaining = 0;
  #low = 0;
  #high = 0;
  #forward = true;
  #pageSize = DEFAULT_PAGE_SIZE;
  #asOf: Date | null = null;
  #text = "";

  constructor(
    private readonly runner: QueryRunner,
    private readonly statements: Statements,
    private readonly upcast: UpcastOnRead,
    private readonly streamId: string,
    private readonly options: ReadStreamOptions,
    private readonly decrypt: ((rows: readonly PageRow[]) => Promise<readonly PageRow[]>) | undefined,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const row = this.#rows[this.#index];
    if (row !== undefined) {
      this.#index += 1;
      try {
        return Promise.resolve({ done: false, value: this.#event(row) });
      } catch (error) {
        this.#finish();
        return Promise.reject(error);
      }
    }
    if (this.#finished) return Promise.resolve(DONE);
    return this.#nextPage();
  }

  return(): Promise<IteratorResult<RecordedEvent>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #finish(): void {
    this.#finished = true;
    this.#rows = [];
    this.#index = 0;
    this.#page = undefined;
  }

  async #nextPage(): Promise<IteratorResult<RecordedEvent>> {
    try {
      if (!this.#started) {
        this.#started = true;
        if (!this.#start()) {
          this.#finish();
          return DONE;
        }
      }
      while (this.#page !== undefined) {
        const page = await this.#receive(this.#page);
        if (this.#finished) return DONE;
        if (page.rows.length > 0) {
          this.#rows = page.rows;
          this.#arrays = page.arrays;
          this.#index = 1;
          return { done: false, value: this.#event(page.rows[0] as PageRow | readonly unknown[]) };
        }
      }
      this.#finish();
      return DONE;
    } catch (error) {
      this.#finish();
      throw error;
    }
  }

  /** Checks the arguments and sends the first page's query; false when there is nothing to read. */
  #start(): boolean {
    const { streamId, options } = this;
    if (typeof streamId !== "string" || streamId.length === 0) throw new InvalidArgumentError("A stream id must be a non-empty string.");
    checkVersion("fromVersion", options.fromVersion, streamId);
    checkVersion("toVersion", options.toVersion, streamId);
    checkCount("pageSize", options.pageSize);
    checkCount("limit", options.limit);
    this.#forward = (options.direction ?? "forward") === "forward";
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#remaining = options.limit ?? Number.POSITIVE_INFINITY;
    this.#low = this.#forward ? (options.fromVersion ?? 1) : (options.toVersion ?? 1);
    this.#high = this.#forward ? (options.toVersion ?? MAX_VERSION) : (options.fromVersion ?? MAX_VERSION);
    this.#asOf = options.asOf ?? null;
    this.#text = this.#forward ? this.statements.readForward : this.statements.readBackward;
    if (this.#remaining <= 0 || this.#low > this.#high) return false;
    this.#page = this.#fetchPage(Math.min(this.#pageSize, this.#remaining));
    return true;
  }

  #event(row: PageRow | readonly unknown[]): RecordedEvent {
    return this.#arrays ? arrayRowToRecordedEvent(row as readonly unknown[], this.streamId, this.upcast) : toRecordedEvent(row as PageRow, this.streamId, this.upcast);
  }

  #fetchPage(size: number): PendingPage {
    const query = CompiledQuery.raw(this.#text, [this.streamId, this.#low, this.#high, this.#asOf, size]);
    const { executeArrays } = this.runner;
    const result: Promise<Page> =
      this.decrypt === undefined && executeArrays !== undefined
        ? executeArrays(query).then(({ rows }) => ({ arrays: true, rows }))
        : this.runner.execute<PageRow>(query).then(({ rows }) => ({ arrays: false, rows }));
    // Awaited by the next call; this only keeps a page nobody consumes (early return) from an unhandled rejection.
    result.catch(() => undefined);
    return { size, result };
  }

  /** Waits for `page`, checks the tombstone, sends the following page's query, and returns the rows (decrypted). */
  async #receive(pending: PendingPage): Promise<Page> {
    const page = await pending.result;
    const { rows } = page;
    const first = rows[0];
    if (first !== undefined && (page.arrays ? (first as readonly unknown[])[0] : (first as { readonly event_id: string | null }).event_id) === null) {
      throw new StreamDeletedError({ streamId: this.streamId });
    }
    this.#remaining -= rows.length;
    const last = rows.at(-1);
    this.#page = undefined;
    if (last !== undefined && rows.length === pending.size && this.#remaining > 0) {
      const version = Number(page.arrays ? (last as readonly unknown[])[1] : (last as PageRow).version);
      if (this.#forward) this.#low = version + 1;
      else this.#high = version - 1;
      if (this.#low <= this.#high) this.#page = this.#fetchPage(Math.min(this.#pageSize, this.#remaining));
    }
    // pg's pool hands out a connection on `process.nextTick`, which runs only once the microtask
    // queue is empty: without a turn of the event loop here, the next page's query would leave
    // only after this page was decrypted and consumed, and the server would idle meanwhile.
    if (this.#page !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
    return page.arrays || this.decrypt === undefined ? page : { arrays: false, rows: await this.decrypt(page.rows) };
  }
}
