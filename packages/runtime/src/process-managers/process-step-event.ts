/**
 * `$strata.ProcessStep`: the one event type of a process manager's own stream. Each step records
 * the input it answered (an event, a refused command, a deadline), the state after it, and what
 * it decided: commands with their deterministic ids, deadlines scheduled and cancelled, whether
 * the process is done. Replaying a stream gives the state; a step already recorded for an input
 * is never decided again, only its outputs are applied again (they are idempotent).
 *
 * The step is stored as JSON in plaintext: a process's state and commands hold ids and amounts,
 * never personal data (see docs/process-managers.md).
 *
 * @module
 */
import type { EventTypeSpec, SchemaValidator } from "../registry.js";

/** Type of the events of a process manager's stream. */
export const PROCESS_STEP_EVENT_TYPE = "$strata.ProcessStep";

/** What a step answered. */
export interface ProcessStepInput {
  readonly kind: "event" | "rejected" | "deadline";
  /** Unique per process: `event:<event id>`, `rejected:<command id>`, `deadline:<key>:<scheduling step id>`. */
  readonly key: string;
  /** The event's type, the refused command's key, or the deadline's key. */
  readonly name: string;
}

/** A command a step decided, with the id that makes its dispatch idempotent. */
export interface ProcessStepCommand {
  readonly key: string;
  readonly id: string;
  readonly command: unknown;
}

/** A deadline a step scheduled. */
export interface ProcessStepDeadline {
  readonly key: string;
  /** ISO 8601 instant it falls due. */
  readonly dueAt: string;
  readonly data: unknown;
}

/** Data of a {@link PROCESS_STEP_EVENT_TYPE} event. */
export interface ProcessStepData {
  readonly manager: string;
  readonly processId: string;
  readonly input: ProcessStepInput;
  readonly state: unknown;
  readonly commands: readonly ProcessStepCommand[];
  readonly schedule: readonly ProcessStepDeadline[];
  readonly cancel: readonly string[];
  readonly done: boolean;
}

const FIELDS = ["manager", "processId", "input", "state", "commands", "schedule", "cancel", "done"] as const;

const validator: SchemaValidator<ProcessStepData> = {
  safeParse(input) {
    const record = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    if (record === undefined) return { success: false, error: { issues: [{ path: [], message: "expected an object" }] } };
    const issues: { path: (string | number)[]; message: string }[] = [];
    const check = (field: string, ok: boolean, message: string): void => void (ok || issues.push({ path: [field], message }));
    check("manager", typeof record["manager"] === "string" && record["manager"] !== "", "manager must be a non-empty string");
    check("processId", typeof record["processId"] === "string" && record["processId"] !== "", "processId must be a non-empty string");
    const stepInput = record["input"] as Record<string, unknown> | undefined;
    check("input", typeof stepInput === "object" && stepInput !== null && typeof stepInput["key"] === "string" && typeof stepInput["name"] === "string" && ["event", "rejected", "deadline"].includes(stepInput["kind"] as string), "input must be { kind, key, name }");
    check("state", Object.hasOwn(record, "state"), "state is required");
    for (const field of ["commands", "schedule", "cancel"]) check(field, Array.isArray(record[field]), `${field} must be an array`);
    check("done", typeof record["done"] === "boolean", "done must be a boolean");
    for (const key of Object.keys(record)) if (!(FIELDS as readonly string[]).includes(key)) issues.push({ path: [key], message: "unknown field" });
    return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: record as unknown as ProcessStepData };
  },
};

/** The spec the store uses to validate and read process steps (a system event: no schema folder). */
export const PROCESS_STEP_SPEC: EventTypeSpec = {
  type: PROCESS_STEP_EVENT_TYPE,
  latestVersion: 1,
  versions: { 1: { version: 1, validator, pii: [] } },
  upcasters: [],
};
