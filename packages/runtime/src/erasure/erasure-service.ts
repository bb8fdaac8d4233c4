/**
 * Erasure of a data subject (GDPR Art. 17) by crypto-shredding: delete the subject's data key,
 * delete the snapshots holding their data, append `$strata.SubjectErased` so projections scrub
 * their read models, and keep a keyed-hash audit row that records completion only when every
 * place that held the subject's data is done (see erasure-places.ts).
 *
 * @module
 */
import type { SubjectKeys } from "../crypto/subject-keys.js";
import { InvalidArgumentError, isStrataError } from "../errors.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import type { EventStore } from "../store/event-store.js";
import { checkAuditKey, subjectHash } from "./erasure-audit.js";
import type { ErasureAudit, ErasureAuditEntry } from "./erasure-audit.js";
import { completePendingErasures, evaluateRequest } from "./erasure-completion.js";
import type { LivePlaces } from "./erasure-completion.js";
import type { ErasurePlace } from "./erasure-places.js";
import { ERASURE_STREAM_ID, SUBJECT_ERASED_EVENT_TYPE } from "./system-events.js";
import type { SubjectErasedData } from "./system-events.js";

/** Who asks for an erasure, and why. Neither may contain personal data of the subject: both are stored as given. */
export interface ErasureRequest {
  /** For example `"GDPR Art. 17 request #1234"`. */
  readonly reason: string;
  /** The operator or system that requested it, for example `"support:alice"`. */
  readonly requestedBy: string;
}

/**
 * Where an erasure stands.
 *
 * - `"erased"`: every place is done; the audit row records the completion.
 * - `"pending"`: the key is gone, but a place (a projection behind, the key table's compaction) is not done yet; see `places`.
 * - `"failed"`: a place failed (a projection stopped before the erasure event); fix it, and the erasure completes by itself.
 * - `"already-erased"`: an earlier request completed the erasure; nothing was left to do.
 * - `"unknown-subject"`: the subject never had personal data here (or the id is mistyped); nothing changed but the audit row.
 */
export type ErasureStatus = "erased" | "pending" | "failed" | "already-erased" | "unknown-subject";

/** What an erasure did, and what is left. */
export interface ErasureResult {
  readonly status: ErasureStatus;
  /** The keyed hash of the subject id under which the audit row was written. */
  readonly subjectHash: string;
  readonly auditId: string;
  readonly snapshotsDeleted: number;
  /** Id of the `$strata.SubjectErased` event appended by this request (a rerun reuses the first one's and reports `undefined`). */
  readonly eventId: string | undefined;
  /** Every place and its status; empty for `already-erased` and `unknown-subject`. */
  readonly places: readonly ErasurePlace[];
}

/** Options of {@link ErasureService.waitFor}. */
export interface ErasureWaitOptions {
  /** Give up after this many ms and return the status as it is (default 30,000). */
  readonly timeoutMs?: number;
  /** Time between checks (default 250 ms). */
  readonly pollMs?: number;
}

/** Erases data subjects. Created by {@link createErasureService}. */
export interface ErasureService {
  /**
   * Erases one subject. Idempotent: a rerun of a pending erasure checks its places again (and
   * completes it when they are done); after completion it reports `"already-erased"`; an unknown
   * subject is a result, not an error.
   *
   * @throws `InvalidArgumentError` for an empty subject id, reason or requester.
   */
  erase(subjectId: string, request: ErasureRequest): Promise<ErasureResult>;
  /** The places of the subject's latest erasure request, checked now; `undefined` when there was none. */
  status(subjectId: string): Promise<ErasureResult | undefined>;
  /** Checks {@link status} until the erasure is `erased` or `timeoutMs` passed (then returns it as it stands: `pending` or `failed`). */
  waitFor(subjectId: string, options?: ErasureWaitOptions): Promise<ErasureResult | undefined>;
  /** Completes every pending erasure whose places are all done by now; returns their audit ids. Run it periodically. */
  completePending(): Promise<string[]>;
}

/** What {@link createErasureService} needs. All on the same database as the events. */
export interface ErasureServiceOptions {
  /** Where the `$strata.SubjectErased` event goes (any registry: system events need none). */
  readonly store: Pick<EventStore, "append">;
  readonly keys: SubjectKeys;
  readonly audit: ErasureAudit;
  /** Secret key (≥ 32 random bytes) of the audit trail's keyed hash. Keep it stable: rows hashed under another key no longer match. */
  readonly auditKey: Uint8Array;
  /** Snapshots to delete (and refuse from now on) for the subject. */
  readonly snapshots?: Pick<SnapshotStore, "deleteForSubject"> | undefined;
  /** The places checked again on every status: projections and subscriptions, the key table. */
  readonly live?: LivePlaces | undefined;
  /** Clock of `erasedAt` (tests). */
  readonly now?: () => Date;
  /**
   * How long `erase` waits for the key table's compaction when nothing else is left (default
   * 5,000 ms). It waits for snapshots that were open when the key was deleted, usually a moment
   * (a standby's feedback: a second); past this the answer is `pending`, and it completes later.
   */
  readonly keyTableWaitMs?: number | undefined;
}

/** Whether the key table's compaction is the only place not done. */
function onlyKeyTableLeft(places: readonly ErasurePlace[]): boolean {
  const left = places.filter((place) => place.status !== "done");
  return left.length > 0 && left.every((place) => place.place === "key-table" && place.status === "pending");
}

function required(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidArgumentError(`An erasure needs a non-empty ${name}.`);
  return value;
}

function errorName(error: unknown): string {
  return isStrataError(error) ? `${error.name} (${error.code})` : error instanceof Error ? error.name : "error";
}

/**
 * Builds the erasure service.
 *
 * @example
 * ```ts
 * const erasure = createErasureService({ store, keys, audit, auditKey, snapshots });
 * const result = await erasure.erase("6f1c…", { reason: "GDPR Art. 17, ticket 812", requestedBy: "dpo@bank.example" });
 * if (result.status !== "erased") console.log(result.places.filter((place) => place.status !== "done"));
 * ```
 */
export function createErasureService(options: ErasureServiceOptions): ErasureService {
  checkAuditKey(options.auditKey);
  const now = options.now ?? (() => new Date());
  const live = options.live ?? {};
  const { audit } = options;

  const deleteSnapshots = async (subjectId: string): Promise<{ place: ErasurePlace; deleted: number }> => {
    if (options.snapshots === undefined) return { place: { place: "snapshots", status: "done", detail: "0 deleted (no snapshot store)" }, deleted: 0 };
    try {
      const deleted = await options.snapshots.deleteForSubject(subjectId);
      return { place: { place: "snapshots", status: "done", detail: `${deleted} deleted` }, deleted };
    } catch (error) {
      return { place: { place: "snapshots", status: "failed", detail: `${errorName(error)}; run the erasure again` }, deleted: 0 };
    }
  };

  const resultOf = async (entry: ErasureAuditEntry, eventId: string | undefined): Promise<ErasureResult> => {
    const { places, outcome, snapshotsDeleted } = await evaluateRequest(audit, entry, live);
    return { status: outcome, subjectHash: entry.subjectHash, auditId: entry.auditId, places, snapshotsDeleted, eventId };
  };

  /** Earlier requests of the subject left open (pending, failed, interrupted) were the same erasure: they complete with it. */
  const completeEarlier = async (open: readonly ErasureAuditEntry[]): Promise<void> => {
    for (const earlier of open) await audit.complete(earlier.auditId, { outcome: "erased" });
  };

  const status = async (subjectId: string): Promise<ErasureResult | undefined> => {
    const hash = subjectHash(options.auditKey, required("subject id", subjectId));
    const requests = (await audit.history(hash)).filter((entry) => entry.outcome !== "already-erased" && entry.outcome !== "unknown-subject");
    const latest = requests.at(-1);
    if (latest === undefined) return undefined;
    if (latest.outcome === "erased") {
      return { status: "erased", subjectHash: hash, auditId: latest.auditId, snapshotsDeleted: latest.snapshotsDeleted, eventId: undefined, places: await audit.places(latest.auditId) };
    }
    const result = await resultOf(latest, undefined);
    if (result.status === "erased") await completeEarlier(requests.filter((entry) => entry !== latest && entry.outcome === undefined));
    return result;
  };

  return {
    async erase(subjectId, request) {
      // Never in a message: the subject id is an identifier of a person.
      required("subject id", subjectId);
      const reason = required("reason", request.reason);
      const requestedBy = required("requester (requestedBy)", request.requestedBy);
      const hash = subjectHash(options.auditKey, subjectId);
      const auditId = await audit.begin({ subjectHash: hash, reason, requestedBy });
      const existed = await options.keys.forget(subjectId);
      await audit.recordKeyDeleted(auditId);
      // Read after the delete: a concurrent request that deleted the key first has begun its row by then.
      const previous = (await audit.history(hash)).filter((entry) => entry.auditId !== auditId);
      // Earlier requests not complete yet (pending, failed, or interrupted): this one finishes their work.
      const open = previous.filter((entry) => entry.outcome === undefined);
      if (!existed && open.length === 0) {
        const outcome = previous.some((entry) => entry.outcome === "erased") ? "already-erased" : "unknown-subject";
        await audit.complete(auditId, { outcome, snapshotsDeleted: 0 });
        return { status: outcome, subjectHash: hash, auditId, snapshotsDeleted: 0, eventId: undefined, places: [] };
      }
      const snapshots = await deleteSnapshots(subjectId);
      await audit.recordSnapshotsDeleted(auditId, snapshots.deleted);
      let eventId: string | undefined;
      let eventCheckpoint = open.find((entry) => entry.eventCheckpoint !== undefined)?.eventCheckpoint;
      if (eventCheckpoint === undefined) {
        const data: SubjectErasedData = { subjectId, subjectHash: hash, erasedAt: now().toISOString() };
        // Cast: system events are not part of the application's registry type.
        const appended = await (options.store as Pick<EventStore, "append">).append(ERASURE_STREAM_ID, [{ type: SUBJECT_ERASED_EVENT_TYPE, data }] as never);
        eventId = appended.events[0]?.id;
        eventCheckpoint = appended.events[0]?.checkpoint;
      }
      if (eventCheckpoint !== undefined) await audit.recordEvent(auditId, eventCheckpoint);
      await audit.setPlaces(auditId, [{ place: "data-key", status: "done", detail: existed ? "deleted now" : "deleted earlier" }, snapshots.place]);
      const entry = (await audit.history(hash)).find((candidate) => candidate.auditId === auditId) as ErasureAuditEntry;
      let result = await resultOf(entry, eventId);
      const keyTableDeadline = Date.now() + (options.keyTableWaitMs ?? 5_000);
      while (result.status === "pending" && onlyKeyTableLeft(result.places) && Date.now() < keyTableDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        result = await resultOf(entry, eventId);
      }
      // The earlier open requests were the same erasure: they complete with this one.
      if (result.status === "erased") await completeEarlier(open);
      return result;
    },
    status,
    async waitFor(subjectId, wait = {}) {
      const deadline = Date.now() + (wait.timeoutMs ?? 30_000);
      for (;;) {
        const current = await status(subjectId);
        if (current === undefined || current.status === "erased" || Date.now() >= deadline) return current;
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait.pollMs ?? 250, Math.max(0, deadline - Date.now()))));
      }
    },
    completePending: () => completePendingErasures(audit, live),
  };
}
