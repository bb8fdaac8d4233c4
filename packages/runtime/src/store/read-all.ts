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

type ReadAllRow = { readonly horizon: string } & (
  | ({ readonly stream_id: string } & EventRow)
  | { readonly [K in keyof EventRow | "stream_id"]: null }
);

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
 * only rows whose transaction id is below `horizon = pg_snapshot_xmin(pg_current_snapshot())`,
 * the oldest transaction still in flight when the read's snapshot was taken. Proof that no event
 * is ever skipped:
 *
 * 1. Every transaction with an id below the horizon has ended, and every id assigned later is
 *    larger (ids are handed out in increasing order, at a transaction's first write). So the set of rows with `transaction_id < horizon` is final at the
 *    time of the read: its committed rows are all visible, and no row can join it later.
 * 2. The read returns rows in (transaction_id, global_position) order, keyset-paged after the
 *    checkpoint. Each returned checkpoint `c` satisfies `c.transaction_id < horizon` of the read
 *    that produced it, so every row at or below `c` belonged to a final set when `c` was handed
 *    out and was therefore returned by that read or an earlier one.
 * 3. Horizons only grow (an ended transaction never restarts), so a later read's final set
 *    contains every earlier one: a row not yet returned always sorts after the checkpoint.
 *
 * Hence each committed event is delivered exactly once, in one total order that every reader
 * sees identically. The cost: a transaction held open holds back the horizon (readers wait, they
 * never skip), including write transactions of other applications on the same server.
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
  const { rows } = await runner.execute<ReadAllRow>(
    CompiledQuery.raw(statements.readAll, [after.transactionId, after.position, limit, types, prefix]),
  );
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
