/**
 * Reactors: subscriptions that react to one event at a time (send a command, append elsewhere,
 * call a service), each reaction running under the event's causation, so that every command and
 * append it makes records the event's `correlationId` and the event's id as `causationId` without
 * the handler passing them (see `telemetry/causation.ts`).
 *
 * @module
 */
import type { EventRegistry, EventShape } from "../registry.js";
import type { HandledEvent, ProjectableEvent } from "../projections/projection.js";
import type { Subscription } from "../projections/subscription.js";
import { checkProjectionName, checkVersionAndTypes } from "../projections/projection.js";
import { withCausation } from "../telemetry/causation.js";

/** Declaration accepted by {@link defineReactor}. */
export interface ReactorDefinition<E extends EventShape, T extends string> {
  /** Stable name: the key of the checkpoint. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  readonly handles: readonly T[];
  /** Reacts to one event; runs under its causation. Must be idempotent per `event.id` (at least once). */
  react(event: HandledEvent<E, T>): Promise<void>;
  /** Events read per step (default 100); reactions run one after another, in order. */
  readonly batchSize?: number;
}

/**
 * Declares a reactor of `registry`'s events: an outbox subscription whose `react` runs once per
 * event, in order, inside `withCausation(event, …)`.
 *
 * @example
 * ```ts
 * const welcomeBonus = defineReactor(bankingRegistry, {
 *   name: "welcome-bonus", handles: ["AccountOpened"],
 *   react: async (event) => void (await accounts.handle(event.streamId, { type: "Deposit", amount: 5 }, { commandId: uuidv5(event.id, NS) })),
 * });
 * const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [welcomeBonus] });
 * ```
 */
export function defineReactor<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(
  registry: R,
  definition: ReactorDefinition<ProjectableEvent<R>, T>,
): Subscription<ProjectableEvent<R>, T> {
  void registry;
  checkProjectionName(definition.name, "Reactor");
  checkVersionAndTypes(definition.name, 1, definition.handles);
  return Object.freeze({
    kind: "subscription",
    name: definition.name,
    handles: Object.freeze([...definition.handles]),
    ...(definition.batchSize === undefined ? {} : { batchSize: definition.batchSize }),
    handle: async (events: readonly HandledEvent<ProjectableEvent<R>, T>[]) => {
      for (const event of events) await withCausation(event, () => definition.react(event));
    },
  });
}
