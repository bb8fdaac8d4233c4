/**
 * Strata's own system events. Their types start with `$strata.`, a namespace no schema folder can
 * produce, so the store accepts them without the application's registry and hands them to
 * `readAll` like any event: projections subscribe to them by type.
 *
 * @module
 */
import type { EventTypeSpec, SchemaValidator } from "../registry.js";
import { PROCESS_STEP_EVENT_TYPE, PROCESS_STEP_SPEC } from "../process-managers/process-step-event.js";

/** The type prefix reserved for system events. */
export const SYSTEM_EVENT_PREFIX = "$strata.";

/** Type of the event the erasure service appends after deleting a subject's data key. */
export const SUBJECT_ERASED_EVENT_TYPE = "$strata.SubjectErased";

/** The stream erasure events go to: one stream for every erasure, so projections find them in global order. */
export const ERASURE_STREAM_ID = "$strata-erasure";

/**
 * Data of a {@link SUBJECT_ERASED_EVENT_TYPE} event. The subject id is a pseudonymous identifier
 * (for example a customer's uuid), not personal data in itself: read models key their rows by it,
 * and a projection needs it to find the rows to scrub. The audit table keeps only the keyed hash.
 */
export interface SubjectErasedData {
  readonly subjectId: string;
  /** HMAC-SHA-256 of the subject id under the audit key, hex: the audit row this event belongs to. */
  readonly subjectHash: string;
  /** ISO 8601 time of the erasure. */
  readonly erasedAt: string;
}

const subjectErasedValidator: SchemaValidator<SubjectErasedData> = {
  safeParse(input) {
    const record = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    const issues = ["subjectId", "subjectHash", "erasedAt"]
      .filter((field) => typeof record?.[field] !== "string" || record[field] === "")
      .map((field) => ({ path: [field], message: `${field} must be a non-empty string` }));
    const extra = record === undefined ? [] : Object.keys(record).filter((key) => !["subjectId", "subjectHash", "erasedAt"].includes(key));
    for (const key of extra) issues.push({ path: [key], message: "unknown field" });
    if (record === undefined || issues.length > 0) {
      return { success: false, error: { issues: issues.length > 0 ? issues : [{ path: [], message: "expected an object" }] } };
    }
    return { success: true, data: { subjectId: record["subjectId"], subjectHash: record["subjectHash"], erasedAt: record["erasedAt"] } as SubjectErasedData };
  },
};

const SYSTEM_EVENTS: Readonly<Record<string, EventTypeSpec>> = Object.freeze({
  [SUBJECT_ERASED_EVENT_TYPE]: { type: SUBJECT_ERASED_EVENT_TYPE, latestVersion: 1, versions: { 1: { version: 1, validator: subjectErasedValidator, pii: [] } }, upcasters: [] },
  // A process manager's steps (process-managers/process-step-event.ts).
  [PROCESS_STEP_EVENT_TYPE]: PROCESS_STEP_SPEC,
});

/** The spec of a system event type, or `undefined` for any other type (including unknown `$strata.` ones). */
export function systemEventSpec(type: string): EventTypeSpec | undefined {
  return type.startsWith(SYSTEM_EVENT_PREFIX) && Object.hasOwn(SYSTEM_EVENTS, type) ? SYSTEM_EVENTS[type] : undefined;
}

/** A recorded `$strata.SubjectErased` event, as `readAll` returns it. */
export interface SubjectErasedEvent {
  readonly type: typeof SUBJECT_ERASED_EVENT_TYPE;
  readonly data: SubjectErasedData;
}

/** True when `event` is a `$strata.SubjectErased` event: the signal for a projection to scrub the subject's rows. */
export function isSubjectErasedEvent<E extends { readonly type: string; readonly data: unknown }>(event: E): event is E & SubjectErasedEvent {
  return event.type === SUBJECT_ERASED_EVENT_TYPE;
}
