/**
 * Correlation and causation ids, carried from a command to its events and from an event to the
 * reactions it causes. Stored in event metadata under these keys:
 *
 * | key | value |
 * |---|---|
 * | `correlationId` | the conversation: given by the caller, else inherited from the causing event, else the first command's id |
 * | `causationId` | the id of the event that caused this one (in a reaction), else of the command that decided it |
 * | `commandId` | the id of the command that decided the event (command handler only) |
 * | `traceparent`, `tracestate` | the W3C trace context the append ran in (see `trace-context.ts`) |
 *
 * Explicit metadata always wins, field by field.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { EventMetadata } from "../store/recorded-event.js";

/** The ids a reaction inherits from the event that caused it. */
export interface Causation {
  readonly correlationId: string;
  readonly causationId: string;
}

const scope = new AsyncLocalStorage<Causation>();

/** The ids an event hands to what it causes: its correlation id (or its own id when it has none) and its id. */
export function causationOf(event: { readonly id: string; readonly metadata: EventMetadata }): Causation {
  const correlationId = event.metadata.correlationId;
  return { correlationId: typeof correlationId === "string" && correlationId !== "" ? correlationId : event.id, causationId: event.id };
}

/**
 * Runs `work` as a reaction to `event`: every append and command inside it records `event`'s
 * correlation id and `event.id` as causation id (unless given explicitly).
 *
 * @example
 * ```ts
 * const notify = defineSubscription(bankingRegistry, {
 *   name: "notify-large-deposits", handles: ["MoneyDeposited"],
 *   handle: async (events) => {
 *     for (const event of events) await withCausation(event, () => alerts.handle(`alert-${event.streamId}`, { type: "Raise" }));
 *   },
 * });
 * ```
 */
export function withCausation<T>(event: { readonly id: string; readonly metadata: EventMetadata }, work: () => T): T {
  return scope.run(causationOf(event), work);
}

/** The causation of the reaction running now, if any. */
export function currentCausation(): Causation | undefined {
  return scope.getStore();
}
