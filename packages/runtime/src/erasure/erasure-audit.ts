/**
 * The erasure audit trail in `<schema>.erasure_audit` (migration `0003-personal-data`): one row per
 * erasure request with a keyed hash of the subject id, the time, the reason and the requester.
 * No subject id and no personal data: the hash proves which request concerned whom only to
 * someone holding the audit key.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { CompiledQuery } from "kysely";
import { InvalidArgumentError } from "../errors.js";
import type { QueryRunner } from "../storage/storage.js";
import type { ErasurePlace, ErasurePlaceStatus } from "./erasure-places.js";

/** How an erasure request ended. */
export type ErasureOutcome = "erased" | "already-erased" | "unknown-subject";

/** One audit row, as {@link ErasureAudit.history} returns it. */
export interface ErasureAuditEntry {
  readonly auditId: string;
  readonly subjectHash: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  /** `undefined` while the request is in progress, or when it was interrupted (rerun it). */
  readonly completedAt: Date | undefined;
  readonly outcome: ErasureOutcome | undefined;
  readonly snapshotsDeleted: number;
  /** Checkpoint of the `$strata.SubjectErased` event this request appended or reused; projections are done once past it. */
  readonly eventCheckpoint: string | undefined;
}

/** Where the erasure service records requests. */
export interface ErasureAudit {
  /** Records the start of a request; returns its audit id. */
  begin(entry: { readonly subjectHash: string; readonly reason: string; readonly requestedBy: string }): Promise<string>;
  /**
   * Records how the request ended. Called only when every place is done (or nothing was to do).
   * Without `snapshotsDeleted`, the count {@link recordSnapshotsDeleted} recorded stays.
   */
  complete(auditId: string, result: { readonly outcome: ErasureOutcome; readonly snapshotsDeleted?: number }): Promise<void>;
  /** Every earlier request for the subject with this hash, oldest first. */
  history(subjectHash: string): Promise<readonly ErasureAuditEntry[]>;
  /** Records how many snapshots the request deleted (kept until it completes, which may be a later check). */
  recordSnapshotsDeleted(auditId: string, deleted: number): Promise<void>;
  /** Records the checkpoint of the request's `$strata.SubjectErased` event. */
  recordEvent(auditId: string, checkpoint: string): Promise<void>;
  /** Replaces the request's per-place status. */
  setPlaces(auditId: string, places: readonly ErasurePlace[]): Promise<void>;
  /** The request's per-place status as last recorded. */
  places(auditId: string): Promise<readonly ErasurePlace[]>;
  /**
   * Records that the subject's key is deleted: a transaction id (xid8) taken now, after the
   * delete committed, which every transaction that could still see the deleted row precedes.
   */
  recordKeyDeleted(auditId: string): Promise<void>;
  /** The horizon {@link recordKeyDeleted} recorded; the current one when none was (a request from before it existed). */
  keyHorizon(auditId: string): Promise<string>;
  /** Requests not complete yet that appended (or reused) their event: what a sweep can finish. */
  incomplete(): Promise<readonly ErasureAuditEntry[]>;
}

/** The smallest audit key accepted, in bytes (HMAC-SHA-256 gains nothing above 64). */
export const MIN_AUDIT_KEY_BYTES = 32;

/**
 * Refuses an audit key shorter than {@link MIN_AUDIT_KEY_BYTES}: stores and the erasure service
 * call it when they are built, so a short key fails at start-up, not at the first erasure.
 *
 * @throws {@link InvalidArgumentError} naming the length and the variable to fix.
 */
export function checkAuditKey(auditKey: Uint8Array): void {
  if (auditKey.byteLength < MIN_AUDIT_KEY_BYTES) {
    throw new InvalidArgumentError(`The erasure audit key is ${auditKey.byteLength} bytes; use at least ${MIN_AUDIT_KEY_BYTES} random bytes (STRATA_ERASURE_AUDIT_KEY, base64).`);
  }
}

/**
 * The keyed hash of a subject id the audit trail stores: HMAC-SHA-256 under `auditKey`, hex.
 *
 * @throws {@link InvalidArgumentError} when the key is shorter than 32 bytes.
 */
export function subjectHash(auditKey: Uint8Array, subjectId: string): string {
  checkAuditKey(auditKey);
  return createHmac("sha256", auditKey).update(`strata:erasure:v1:${subjectId}`, "utf8").digest("hex");
}

interface AuditRow {
  readonly audit_id: string | number | bigint;
  readonly subject_hash: string;
  readonly reason: string;
  readonly requested_by: string;
  readonly requested_at: Date | string;
  readonly completed_at: Date | string | null;
  readonly outcome: ErasureOutcome | null;
  readonly snapshots_deleted: number;
  readonly event_checkpoint: string | null;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** An {@link ErasureAudit} on the event store's database. */
export function createPostgresErasureAudit(options: { readonly storage: QueryRunner; readonly schema?: string }): ErasureAudit {
  const schema = `"${(options.schema ?? "strata").replaceAll('"', '""')}"`;
  const table = `${schema}.erasure_audit`;
  const placesTable = `${schema}.erasure_places`;
  const run = async <R = AuditRow>(text: string, parameters: readonly unknown[]) => (await options.storage.execute<R>(CompiledQuery.raw(text, [...parameters]))).rows;
  const toEntry = (row: AuditRow): ErasureAuditEntry => ({
    auditId: String(row.audit_id),
    subjectHash: row.subject_hash,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedAt: toDate(row.requested_at),
    completedAt: row.completed_at === null ? undefined : toDate(row.completed_at),
    outcome: row.outcome ?? undefined,
    snapshotsDeleted: Number(row.snapshots_deleted),
    eventCheckpoint: row.event_checkpoint ?? undefined,
  });
  return {
    async begin(entry) {
      const [row] = await run(`INSERT INTO ${table} (subject_hash, reason, requested_by) VALUES ($1, $2, $3) RETURNING audit_id`, [
        entry.subjectHash,
        entry.reason,
        entry.requestedBy,
      ]);
      return String(row?.audit_id);
    },
    async complete(auditId, result) {
      await run(`UPDATE ${table} SET completed_at = now(), outcome = $2, snapshots_deleted = coalesce($3::integer, snapshots_deleted) WHERE audit_id = $1::bigint AND completed_at IS NULL`,
        [auditId, result.outcome, result.snapshotsDeleted ?? null],
      );
    },
    async history(hash) {
      return (await run(`SELECT * FROM ${table} WHERE subject_hash = $1 ORDER BY audit_id`, [hash])).map(toEntry);
    },
    async recordSnapshotsDeleted(auditId, deleted) {
      await run(`UPDATE ${table} SET snapshots_deleted = $2 WHERE audit_id = $1::bigint`, [auditId, deleted]);
    },
    async recordEvent(auditId, checkpoint) {
      await run(`UPDATE ${table} SET event_checkpoint = $2 WHERE audit_id = $1::bigint`, [auditId, checkpoint]);
    },
    async setPlaces(auditId, places) {
      if (places.length === 0) return;
      await run(
        `INSERT INTO ${placesTable} (audit_id, place, status, detail)
         SELECT $1::bigint, p.place, p.status, p.detail FROM unnest($2::text[], $3::text[], $4::text[]) AS p(place, status, detail)
         ON CONFLICT (audit_id, place) DO UPDATE SET status = excluded.status, detail = excluded.detail, updated_at = now()`,
        [auditId, places.map((p) => p.place), places.map((p) => p.status), places.map((p) => p.detail ?? null)],
      );
    },
    async places(auditId) {
      const rows = await run<{ place: string; status: ErasurePlaceStatus; detail: string | null }>(
        `SELECT place, status, detail FROM ${placesTable} WHERE audit_id = $1::bigint ORDER BY place`,
        [auditId],
      );
      return rows.map((row) => (row.detail === null ? { place: row.place, status: row.status } : { place: row.place, status: row.status, detail: row.detail }));
    },
    async recordKeyDeleted(auditId) {
      // The snapshot's xmax is the next transaction id: greater than the delete's, which committed.
      await run(`UPDATE ${table} SET key_horizon = pg_snapshot_xmax(pg_current_snapshot())::text WHERE audit_id = $1::bigint`, [auditId]);
    },
    async keyHorizon(auditId) {
      const [row] = await run<{ horizon: string }>(
        `SELECT coalesce((SELECT key_horizon FROM ${table} WHERE audit_id = $1::bigint), pg_snapshot_xmax(pg_current_snapshot())::text) AS horizon`,
        [auditId],
      );
      return row?.horizon ?? "0";
    },
    async incomplete() {
      return (await run(`SELECT * FROM ${table} WHERE completed_at IS NULL AND event_checkpoint IS NOT NULL ORDER BY audit_id`, [])).map(toEntry);
    },
  };
}
