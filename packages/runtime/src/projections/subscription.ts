/**
 * Outbox-style subscriptions: side effects outside the database (a broker, e-mail) driven by
 * the same checkpoints as projections. The handler runs outside any transaction and the
 * checkpoint moves only after it returns, so every event is delivered at least once; a crash
 * between the effect and the checkpoint delivers it again. Deduplicate by `event.id`.
 *
 * @module
 */
import type { EventRegistry, EventShape } from "../registry.js";
import type { HandledEvent, ProjectableEvent } from "./projection.js";
import { checkProjectionName, checkVersionAndTypes } from "./projection.js";
import type { ProjectionFailurePolicy } from "./runner-settings.js";

/** An outbox subscription: a name, the handled types, and a handler with side effects. */
// `T extends string` rather than `E["type"]`: see `HandledEvent`.
export interface Subscription<E extends EventShape = EventShape, T extends string = E["type"]> {
  readonly kind: "subscription";
  /** Stable name: the key of the checkpoint. 1–48 letters, digits, `_` or `-`. */
  readonly name: string;
  /** The event types delivered; others are filtered out in SQL. */
  readonly handles: readonly T[];
  /**
   * Delivers one batch. Must be idempotent per `event.id`: a batch may be delivered again after a
   * crash or a failed attempt. Throwing retries the batch (then event by event, with backoff).
   */
  handle(events: readonly HandledEvent<E, T>[]): Promise<void>;
  /** Events per delivery (default 100). */
  readonly batchSize?: number;  /** What to do with an event the handler keeps failing on (default: the engine's attempts, then stop). */
  readonly failure?: ProjectionFailurePolicy;
}

/** Declaration accepted by {@link defineSubscription}. */
export type SubscriptionDefinition<E extends EventShape, T extends string> = Omit<Subscription<E, T>, "kind">;

/**
 * Declares an outbox subscription to the events of `registry`. The handler receives the events
 * as read, like a projection's: personal data decrypted, and an erased data subject's fields as
 * `ERASED` (`T | Erased` in the types, so a handler must check `isErased` before using one).
 * `handles` may also name `"$strata.SubjectErased"`, to propagate an erasure downstream.
 *
 * @example
 * ```ts
 * const welcomeMails = defineSubscription(bankingRegistry, {
 *   name: "welcome-mails", handles: ["CustomerRegistered"],
 *   handle: async (events) => {
 *     for (const { id, data } of events) {
 *       if (isErased(data.email)) continue; // the customer was erased before the mail went out
 *       await mailer.send({ dedupeKey: id, to: data.email });
 *     }
 *   },
 * });
 * ```
 */
export function defineSubscription<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(
  registry: R,
  definition: SubscriptionDefinition<ProjectableEvent<R>, T>,
): Subscription<ProjectableEvent<R>, T> {
  void registry;
  checkProjectionName(definition.name, "Subscription");
  checkVersionAndTypes(definition.name, 1, definition.handles);
  return Object.freeze({ ...definition, kind: "subscription", handles: Object.freeze([...definition.handles]) });
}
