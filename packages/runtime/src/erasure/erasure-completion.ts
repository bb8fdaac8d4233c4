/**
 * When an erasure is complete: the places it must reach are evaluated again (by `status`, by a
 * rerun, or by a sweep over every incomplete request), and the audit row records the outcome
 * `erased` only once every place is done.
 *
 * @module
 */
import type { ErasureAudit, ErasureAuditEntry } from "./erasure-audit.js";
import { outcomeOf } from "./erasure-places.js";
import type { ErasurePlace } from "./erasure-places.js";

/** Places that are re-evaluated on every check; the others (data key, snapshots) keep their recorded status. */
export interface LivePlaces {
  /** Projections and subscriptions for an erasure event at `eventCheckpoint`. */
  readonly projections?: ((eventCheckpoint: string) => Promise<readonly ErasurePlace[]>) | undefined;
  /** The key table: compacts it so no page holds a key deleted before the transaction id `horizon`. */
  readonly keyTable?: ((horizon: string) => Promise<ErasurePlace>) | undefined;
}

const LIVE = /^(projection|subscription):/;

/**
 * Re-evaluates the places of an incomplete request, records them, and completes the audit row
 * when every place is done. Returns the places and the outcome.
 */
export async function evaluateRequest(
  audit: ErasureAudit,
  entry: ErasureAuditEntry,
  live: LivePlaces,
): Promise<{ places: ErasurePlace[]; outcome: "erased" | "pending" | "failed"; snapshotsDeleted: number }> {
  const stored = await audit.places(entry.auditId);
  const recorded = stored.filter((place) => !LIVE.test(place.place) && place.place !== "key-table");
  // Compacted once after the key was deleted: not again on every check.
  const compacted = stored.find((place) => place.place === "key-table" && place.status === "done");
  const keyTable = compacted !== undefined ? [compacted] : live.keyTable === undefined ? [] : [await live.keyTable(await audit.keyHorizon(entry.auditId))];
  const projections = entry.eventCheckpoint === undefined || live.projections === undefined ? [] : await live.projections(entry.eventCheckpoint);
  const places = [...recorded, ...keyTable, ...projections];
  await audit.setPlaces(entry.auditId, places);
  const outcome = outcomeOf(places);
  // The audit row records completion only now that every place says so.
  if (outcome === "erased") await audit.complete(entry.auditId, { outcome: "erased" });
  return { places, outcome, snapshotsDeleted: entry.snapshotsDeleted };
}

/**
 * Finishes every incomplete request whose places are all done by now (a projection recovered, a
 * compaction ran): what an application runs periodically so pending erasures complete by
 * themselves. Returns the audit ids it completed.
 */
export async function completePendingErasures(audit: ErasureAudit, live: LivePlaces): Promise<string[]> {
  const completed: string[] = [];
  for (const entry of await audit.incomplete()) {
    if ((await evaluateRequest(audit, entry, live)).outcome === "erased") completed.push(entry.auditId);
  }
  return completed;
}
