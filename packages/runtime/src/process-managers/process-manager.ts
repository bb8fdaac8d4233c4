/**
 * Process managers (sagas): long-running processes that react to events, keep their state in a
 * stream of their own, act through commands with deterministic ids, wait on durable deadlines,
 * and compensate. `defineProcessManager` only declares one; `createProcessManagerRunner` runs it.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import type { EventRegistry, EventShape } from "../registry.js";
import type { HandledEvent, ProjectableEvent } from "../projections/projection.js";
import { checkProjectionName, checkVersionAndTypes } from "../projections/projection.js";

/** What a process answers: an event it handles, one of its commands refused, or a deadline due. */
export type ProcessInput<Ev, C> =
  | { readonly kind: "event"; readonly event: Ev }
  | { readonly kind: "rejected"; readonly commandKey: string; readonly command: C; readonly error: unknown }
  | { readonly kind: "deadline"; readonly key: string; readonly data: unknown };

/** A command to send, under a key unique within its step (the key makes its id). */
export interface ProcessCommand<C> {
  readonly key: string;
  readonly command: C;
}

/** A deadline to schedule: in `afterMs` milliseconds, or at `at`. Scheduling a key again replaces it. */
export interface ProcessDeadline {
  readonly key: string;
  readonly afterMs?: number;
  readonly at?: Date;
  /** JSON handed back with the deadline input. */
  readonly data?: unknown;
}

/** What `decide` returns for one input. Everything is optional: `{}` changes nothing. */
export interface ProcessDecision<S, C> {
  /** The state after this input (default: unchanged). Plain JSON, no personal data. */
  readonly state?: S;
  /** Commands to send, in order. */
  readonly commands?: readonly ProcessCommand<C>[];
  readonly schedule?: readonly ProcessDeadline[];
  /** Keys of deadlines to cancel. */
  readonly cancel?: readonly string[];
  /** The process finished: later inputs are ignored and its pending deadlines are dropped. */
  readonly done?: boolean;
}

/** A process manager's declaration; see {@link defineProcessManager}. */
export interface ProcessManager<S = unknown, C = unknown, Ev extends { readonly type: string } = { readonly type: string }> {
  readonly kind: "process-manager";
  /** Stable name: the key of its checkpoint, the prefix of its streams. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  /** The event types it reacts to. */
  readonly handles: readonly string[];
  /** The process an event belongs to, or `undefined` to ignore the event. */
  processId(event: Ev): string | undefined;
  readonly initialState: S;
  /** Pure: the decision for one input, given the state so far. Never called twice for one input. */
  decide(input: ProcessInput<Ev, C>, state: S, processId: string): ProcessDecision<S, C>;
  /** The stream holding a process's steps (default `process-<name>-<processId>`). */
  streamOf(processId: string): string;
}

/** Declaration accepted by {@link defineProcessManager}. */
export interface ProcessManagerDefinition<S, C, Ev extends { readonly type: string }, T extends string> {
  readonly name: string;
  readonly handles: readonly T[];
  processId(event: Ev): string | undefined;
  readonly initialState: S;
  decide(input: ProcessInput<Ev, C>, state: S, processId: string): ProcessDecision<S, C>;
  /** The stream of a process (default `process-<name>-<processId>`). */
  streamOf?(processId: string): string;
}

/**
 * Declares a process manager over the events of `registry`. `decide` is pure and sees every input
 * once; the runner records each decision in the process's stream before acting on it, so a crash
 * at any point resumes where it stopped: a recorded step is never decided again, its commands are
 * sent again under the same ids (the receiving handlers must treat a known id as done).
 *
 * @example
 * ```ts
 * const payments = defineProcessManager(shopRegistry, {
 *   name: "payments", handles: ["OrderPlaced", "PaymentCaptured"],
 *   processId: (event) => event.data.orderId,
 *   initialState: { status: "new" as "new" | "waiting" | "paid" },
 *   decide: (input, state) => {
 *     if (input.kind === "event" && input.event.type === "OrderPlaced")
 *       return { state: { status: "waiting" }, commands: [{ key: "capture", command: { type: "Capture" } }], schedule: [{ key: "expire", afterMs: 900_000 }] };
 *     if (input.kind === "event") return { state: { status: "paid" }, cancel: ["expire"], done: true };
 *     return { commands: [{ key: "cancel-order", command: { type: "CancelOrder" } }], done: true }; // refused or expired
 *   },
 * });
 * ```
 */
export function defineProcessManager<R extends EventRegistry<EventShape>, S, C, const T extends ProjectableEvent<R>["type"]>(
  registry: R,
  definition: ProcessManagerDefinition<S, C, HandledEvent<ProjectableEvent<R>, T>, T>,
): ProcessManager<S, C, HandledEvent<ProjectableEvent<R>, T>> {
  void registry;
  checkProjectionName(definition.name, "Process manager");
  checkVersionAndTypes(definition.name, 1, definition.handles);
  const streamOf = definition.streamOf ?? ((processId: string) => `process-${definition.name}-${processId}`);
  if (typeof definition.decide !== "function" || typeof definition.processId !== "function") {
    throw new InvalidArgumentError(`Process manager "${definition.name}" needs processId(event) and decide(input, state) functions.`);
  }
  return Object.freeze({
    kind: "process-manager",
    name: definition.name,
    handles: Object.freeze([...definition.handles]),
    processId: definition.processId,
    initialState: definition.initialState,
    decide: definition.decide,
    streamOf,
  });
}
