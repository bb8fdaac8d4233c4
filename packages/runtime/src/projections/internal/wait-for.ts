/** Read-your-writes: waits until projections have applied everything up to a position. */
import { compareCheckpointParts, decodeCheckpoint } from "../../store/checkpoint.js";
import type { Checkpoint } from "../../store/recorded-event.js";
import { ProjectionWaitTimeoutError } from "../projection-errors.js";
import type { Bookkeeping, ProjectionRow } from "./bookkeeping.js";
import { sleep } from "./sleep.js";
import type { StoreAccess } from "./store-access.js";

/**
 * Polls the projections' checkpoints (a primary-key read each) until every one is at or past
 * `target`; `onFailed` turns a failed projection into its error at once (it would never arrive).
 */
export async function waitForCheckpoint(
  access: StoreAccess,
  book: Bookkeeping,
  names: readonly string[],
  target: Checkpoint,
  options: { readonly timeoutMs: number; readonly pollMs: number; readonly wake: () => void; readonly onFailed: (row: ProjectionRow) => Error },
): Promise<void> {
  const goal = decodeCheckpoint(target);
  const deadline = Date.now() + options.timeoutMs;
  const reached = (row: ProjectionRow | undefined): boolean => row?.checkpoint != null && compareCheckpointParts(decodeCheckpoint(row.checkpoint), goal) >= 0;
  for (let round = 0; ; round += 1) {
    // One query per poll for every named projection (a name without a row stays undefined).
    const byName = new Map((await access.transaction(async (trx) => book.all(trx))).map((row) => [row.name, row]));
    const rows = names.map((name) => ({ name, row: byName.get(name) }));
    const behind = rows.filter(({ row }) => !reached(row));
    if (behind.length === 0) return;
    const failed = behind.find(({ row }) => row?.state === "failed");
    if (failed?.row !== undefined) throw options.onFailed(failed.row);
    if (Date.now() >= deadline) {
      throw new ProjectionWaitTimeoutError({
        target: BigInt(goal.position),
        timeoutMs: options.timeoutMs,
        laggards: behind.map(({ name, row }) => ({ name, state: row?.state ?? "unknown", position: row?.last_position == null ? null : BigInt(row.last_position) })),
      });
    }
    if (round === 0) options.wake();
    await sleep(Math.max(1, Math.min(options.pollMs, deadline - Date.now())));
  }
}
