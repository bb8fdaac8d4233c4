/**
 * The places an erasure must reach, and whether each has: the data key, the key table's pages,
 * the snapshots, and every projection and subscription that handles the subject.
 *
 * A projection or subscription is done once its live checkpoint is at or past the request's
 * `$strata.SubjectErased` event (it applied the event in the transaction of that checkpoint, or
 * dead-lettered it and went on); failed when it stopped on a failure before it; pending otherwise.
 *
 * @module
 */
import { CompiledQuery } from "kysely";
import type { QueryRunner } from "../storage/storage.js";
import { compareCheckpointParts, decodeCheckpoint } from "../store/checkpoint.js";
import { SUBJECT_ERASED_EVENT_TYPE } from "./system-events.js";

/** Where a place stands. */
export type ErasurePlaceStatus = "done" | "pending" | "failed";

/**
 * One place that held the subject's data. `place` is `data-key`, `key-table` (no page of the key
 * table holds the wrapped key any more), `snapshots`, `projection:<name>` or `subscription:<name>`.
 * `detail` never holds personal data: an event id and type, an error class and code, a lag.
 */
export interface ErasurePlace {
  readonly place: string;
  readonly status: ErasurePlaceStatus;
  readonly detail?: string;
}

/**
 * What the erasure knows of the application's projections and subscriptions. Given, only those
 * that handle `$strata.SubjectErased` are places (the others hold no personal data in clear, or
 * keep it encrypted with the subject's key); not given, every projection and subscription the
 * store's bookkeeping lists is one (the safe side: a stopped projection keeps erasures pending).
 */
export interface ErasureHandler {
  readonly name: string;
  readonly kind?: "projection" | "subscription";
  readonly handles: readonly string[];
}

interface BookRow {
  readonly name: string;
  readonly kind: "projection" | "subscription";
  readonly state: "running" | "failed";
  readonly checkpoint: string | null;
  readonly failed_event_id: string | null;
  readonly failed_event_type: string | null;
  readonly last_error: string | null;
}

function passed(checkpoint: string | null, target: string): boolean {
  return checkpoint !== null && compareCheckpointParts(decodeCheckpoint(checkpoint), decodeCheckpoint(target)) >= 0;
}

function placeOf(row: BookRow, eventCheckpoint: string): ErasurePlace {
  const place = `${row.kind}:${row.name}`;
  if (passed(row.checkpoint, eventCheckpoint)) return { place, status: "done" };
  if (row.state === "failed") {
    return { place, status: "failed", detail: `stopped on event ${row.failed_event_id ?? "?"} (${row.failed_event_type ?? "?"}): ${row.last_error ?? "error"}; retry or skip it` };
  }
  return { place, status: "pending", detail: "has not reached the erasure event yet" };
}

/** The status of every projection and subscription place for an erasure event at `eventCheckpoint`. */
export async function projectionPlaces(runner: QueryRunner, schema: string, eventCheckpoint: string, handlers?: readonly ErasureHandler[]): Promise<ErasurePlace[]> {
  const table = `"${schema.replaceAll('"', '""')}".projections`;
  const query = `SELECT name, kind, state, checkpoint, failed_event_id, failed_event_type, last_error FROM ${table} ORDER BY name`;
  const rows = (await runner.execute<BookRow>(CompiledQuery.raw(query, []))).rows;
  if (handlers === undefined) return rows.map((row) => placeOf(row, eventCheckpoint));
  const places: ErasurePlace[] = [];
  for (const handler of handlers.filter((candidate) => candidate.handles.includes(SUBJECT_ERASED_EVENT_TYPE))) {
    const row = rows.find((candidate) => candidate.name === handler.name);
    places.push(row === undefined ? { place: `${handler.kind ?? "projection"}:${handler.name}`, status: "pending", detail: "has not started yet" } : placeOf(row, eventCheckpoint));
  }
  return places;
}

/** `erased` when every place is done; `failed` when one failed; `pending` otherwise. */
export function outcomeOf(places: readonly ErasurePlace[]): "erased" | "pending" | "failed" {
  if (places.every((place) => place.status === "done")) return "erased";
  return places.some((place) => place.status === "failed") ? "failed" : "pending";
}
