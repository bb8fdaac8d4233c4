import { CompiledQuery } from "kysely";
import { InvalidArgumentError } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import { compareCheckpointParts, decodeCheckpoint, encodeCheckpoint, horizonCheckpoint } from "./checkpoint.js";
import type { ReadAllOptions, ReadAllPage } from "./event-store.js";
import { toRecordedEvent } from "./event-rows.js";
import type { EventRow } from "./event-rows.js";
import type { RecordedEvent } from "./recorded-event.js";
import type { Statements } from "./statements.js";
import type { UpcastOnRead } from "./upcast-on-read.js";

const DEFAULT_LIMIT = 1000;

/** The highest horizon a read through these statements (one store or engine) has computed: see point 4 below. */
const knownHorizons = new WeakMap<Statements, bigint>();

type ReadAllRow = { readonly horizon: string } & (
  | ({ readonly stream_id: string } & EventRow)
  | { readonly [K in keyof EventRow | "stream_id"]: null }
);

/** Orders two non-negative integers given as decimal strings (no leading zeros), bigints or numbers. */
function compareInt8(a: string | number | bigint, b: string | number | bigint): number {
  if (typeof a === "string" && typeof b === "string") {
    if (a.length !== b.length) return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Orders two event rows by (transaction id, position): the global order. */
function compareRows(a: { readonly transaction_id: string; readonly global_position: string | number | bigint }, b: typeof a): number {
  return compareInt8(a.transaction_id, b.transaction_id) || compareInt8(a.global_position, b.global_position);
}

/**
 * The page's rows in the global order. The statement returns them in its lateral subquery's index
 * order without an outer ORDER BY (see statements.ts); this checks that, one comparison per row,
 * and sorts a copy in the unexpected case that it does not hold.
 */
function inGlobalOrder(rows: readonly ReadAllRow[]): readonly ReadAllRow[] {
  for (let index = 1; index < rows.length; index++) {
    const previous = rows[index - 1] as ReadAllRow;
    const row = rows[index] as ReadAllRow;
    if (previous.stream_id === null || row.stream_id === null || compareRows(previous, row) >= 0) {
      const events = rows.filter((candidate) => candidate.stream_id !== null) as (ReadAllRow & EventRow)[];
      return events.length === 0 ? rows.slice(0, 1) : events.sort(compareRows);
    }
  }
  return rows;
}

/** Escapes LIKE's wildcards so a stream prefix matches literally. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * Reads the global order.
 *
 * Why (transaction id, position) and not the position alone: positions come from a sequence at
 * insert time, but transactions commit in any order, so position 10 may become visible after
 * 11. Every event row records its writer's transaction id (xid8, never wraps). A read returns
 * only rows whose transaction id is below a horizon `H` computed with the read's snapshot `S`
 * (taken at time s) and `pg_locks` (scanned at time r ≥ s, during the statement; see
 * store-writers.ts):
 *
 *   H = the smallest xid in S's in-flight list that, at r, holds this store's writer lock or has
 *       ended; or S's xmax when there is none.
 *
 * Invariant W: a transaction that inserts events took the store's shared advisory lock before it
 * had a transaction id (the append statement's first step), and holds it until it ends. Every
 * insert into `events` goes through that statement.
 *
 * Proof that no event is ever skipped:
 *
 * 1. At the read, the set of rows with `transaction_id < H` is final. Take a writer T with id
 *    x < H. If x was assigned after s, x ≥ xmax(S) ≥ H: impossible. So x was assigned before s,
 *    and T registered even earlier (W). If T had ended before s, its committed rows are in S.
 *    Otherwise x is in S's in-flight list; at r, T either still held the lock or had ended: in
 *    both cases H ≤ x by the definition of H, a contradiction. So every writer below H ended
 *    before s: its committed rows are visible to this read, and no row can join the set later
 *    (ids are handed out in increasing order, so a new writer's id is at least xmax(S)).
 *    Transactions that never register (other databases, unrelated tables, other stores) are in
 *    flight at r and not holding the lock: they do not lower H. Read-only ones have no id at all.
 * 2. The read returns rows in (transaction_id, global_position) order, keyset-paged after the
 *    checkpoint. Each returned checkpoint `c` satisfies `c.transaction_id < H` of the read that
 *    produced it, so every row at or below `c` belonged to a final set when `c` was handed out
 *    and was therefore returned by that read or an earlier one.
 * 3. A caught-up read moves the checkpoint to just below H (never backwards: a later read's H
 *    can be lower, when a transaction of the in-flight list ended between its s and r, and then
 *    the checkpoint simply stays), so by 1 a row not yet returned always sorts after it.
 *
 * Hence each committed event is delivered exactly once, in one total order that every reader
 * sees identically.
 *
 * 4. By 1, a horizon stays valid forever: the rows below it never change. So a reader below a
 *    horizon that an earlier read of this store computed may read a page bounded by it without
 *    computing a new one (no snapshot scan, no `pg_locks`). Only a full page is kept from such a
 *    read; a short one would stop below rows that a fresh horizon may already allow, so it is
 *    read again with a fresh horizon before the reader is told it caught up. The cost: a transaction of this store held open after its append holds the
 * horizon back (readers wait, they never skip); transactions elsewhere on the server do not.
 * Readers scan `pg_locks` once per page, which takes the lock manager's partition locks briefly.
 */
export async function readAll(
  runner: QueryRunner,
  statements: Statements,
  upcast: UpcastOnRead,
  options: ReadAllOptions = {},
  /** Decrypts a page's personal data before upcasting (set when the store has `personalData`). */
  decrypt?: (rows: readonly ReadAllRow[]) => Promise<readonly ReadAllRow[]>,
): Promise<ReadAllPage> {
  const after = decodeCheckpoint(options.after);
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!(Number.isSafeInteger(limit) && limit > 0)) throw new InvalidArgumentError(`readAll limit must be a positive integer, got ${limit}.`);
  const types = options.types === undefined ? null : [...options.types];
  const prefix = options.streamPrefix === undefined ? null : likePrefix(options.streamPrefix);
  const read = async (horizon: bigint | null): Promise<readonly ReadAllRow[]> =>
    inGlobalOrder((await runner.execute<ReadAllRow>(CompiledQuery.raw(statements.readAll, [after.transactionId, after.position, limit, types, prefix, horizon?.toString() ?? null]))).rows);
  const known = statements.reusableHorizon ? knownHorizons.get(statements) : undefined;
  let rows: readonly ReadAllRow[] | undefined;
  if (known !== undefined && BigInt(after.transactionId) < known) {
    rows = await read(known);
    // A short page under an old horizon: read it again under a fresh one (point 4 above).
    if (rows.filter((row) => row.stream_id !== null).length < limit) rows = undefined;
  }
  rows ??= await read(null);
  const fresh = rows[0]?.horizon;
  if (statements.reusableHorizon && fresh !== undefined && (known === undefined || BigInt(fresh) > known)) knownHorizons.set(statements, BigInt(fresh));
  const events: RecordedEvent[] = [];
  for (const row of decrypt === undefined ? rows : await decrypt(rows)) {
    if (row.stream_id === null) break;
    events.push(toRecordedEvent(row, row.stream_id, upcast));
  }
  const last = events.at(-1);
  const caughtUp = events.length < limit;
  let checkpoint = last === undefined ? after : decodeCheckpoint(last.checkpoint);
  const horizon = rows[0]?.horizon;
  if (caughtUp && horizon !== undefined) {
    // Everything below the horizon has been scanned: the reader may resume above it.
    const ceiling = horizonCheckpoint(horizon);
    if (compareCheckpointParts(ceiling, checkpoint) > 0) checkpoint = ceiling;
  }
  return { events, checkpoint: encodeCheckpoint(checkpoint.transactionId, checkpoint.position), caughtUp };
}
