/**
 * Erasure of a data subject (GDPR Art. 17) by crypto-shredding: delete the subject's data key,
 * delete the snapshots holding their data, record a keyed-hash audit row, and append
 * `$strata.SubjectErased` so projections scrub their read models.
 *
 * @module
 */
import type { SubjectKeys } from "../crypto/subject-keys.js";
import { InvalidArgumentError } from "../errors.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import type { EventStore } from "../store/event-store.js";
import { checkAuditKey, subjectHash } from "./erasure-audit.js";
import type { ErasureAudit, ErasureOutcome } from "./erasure-audit.js";
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
 * What an erasure did.
 *
 * - `"erased"`: the subject's key was deleted now (or an interrupted earlier erasure was completed).
 * - `"already-erased"`: an earlier request erased the subject; nothing was left to do.
 * - `"unknown-subject"`: the subject never had personal data here (or the id is mistyped); nothing changed but the audit row.
 */
export interface ErasureResult {
  readonly status: ErasureOutcome;
  /** The keyed hash of the subject id under which the audit row was written. */
  readonly subjectHash: string;
  readonly auditId: string;
  readonly snapshotsDeleted: number;
  /** Id of the `$strata.SubjectErased` event appended, when the status is `"erased"`. */
  readonly eventId: string | undefined;
}

/** Erases data subjects. Created by {@link createErasureService}. */
export interface ErasureService {
  /**
   * Erases one subject. Idempotent: a second call reports `"already-erased"`; an unknown
   * subject is a result, not an error.
   *
   * @throws `InvalidArgumentError` for an empty subject id, reason or requester.
   */
  erase(subjectId: string, request: ErasureRequest): Promise<ErasureResult>;
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
  /** Clock of `erasedAt` (tests). */
  readonly now?: () => Date;
}

function required(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidArgumentError(`An erasure needs a non-empty ${name}.`);
  return value;
}

/**
 * Builds the erasure service.
 *
 * @example
 * ```ts
 * const erasure = createErasureService({ store, keys, audit, auditKey, snapshots });
 * const result = await erasure.erase("6f1c…", { reason: "GDPR Art. 17, ticket 812", requestedBy: "dpo@bank.example" });
 * ```
 */
export function createErasureService(options: ErasureServiceOptions): ErasureService {
  checkAuditKey(options.auditKey);
  const now = options.now ?? (() => new Date());
  return {
    async erase(subjectId, request) {
      // Never in a message: the subject id is an identifier of a person.
      required("subject id", subjectId);
      const reason = required("reason", request.reason);
      const requestedBy = required("requester (requestedBy)", request.requestedBy);
      const hash = subjectHash(options.auditKey, subjectId);
      const auditId = await options.audit.begin({ subjectHash: hash, reason, requestedBy });
      const existed = await options.keys.forget(subjectId);
      // Read after the delete: a concurrent request that deleted the key first has begun its row by then.
      const previous = (await options.audit.history(hash)).filter((entry) => entry.auditId !== auditId);
      // An earlier request that never completed (or one still running) may have deleted the key
      // and stopped before the snapshots or the system event: finish its work. Both are idempotent.
      const interrupted = previous.length > 0 && previous.at(-1)?.outcome === undefined;
      const erasedBefore = previous.some((entry) => entry.outcome === "erased");
      if (!existed && !interrupted && !erasedBefore) {
        await options.audit.complete(auditId, { outcome: "unknown-subject", snapshotsDeleted: 0 });
        return { status: "unknown-subject", subjectHash: hash, auditId, snapshotsDeleted: 0, eventId: undefined };
      }
      const snapshotsDeleted = options.snapshots === undefined ? 0 : await options.snapshots.deleteForSubject(subjectId);
      let eventId: string | undefined;
      const status: ErasureOutcome = existed || interrupted ? "erased" : "already-erased";
      if (status === "erased") {
        const data: SubjectErasedData = { subjectId, subjectHash: hash, erasedAt: now().toISOString() };
        // Cast: system events are not part of the application's registry type.
        const appended = await (options.store as Pick<EventStore, "append">).append(ERASURE_STREAM_ID, [{ type: SUBJECT_ERASED_EVENT_TYPE, data }] as never);
        eventId = appended.events[0]?.id;
      }
      await options.audit.complete(auditId, { outcome: status, snapshotsDeleted });
      return { status, subjectHash: hash, auditId, snapshotsDeleted, eventId };
    },
  };
}
