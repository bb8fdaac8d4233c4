/**
 * A process manager as `strata.config.ts` lists it for the CLI: `strata projections
 * status|retry|skip` then show and operate its subscription like any other.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import type { Subscription } from "../projections/subscription.js";
import type { ProcessManager } from "./process-manager.js";

/**
 * The subscription a process manager runs on, for operating it (status, retry, skip) from a
 * config module. It has no dispatch, so it refuses to deliver: a process manager runs only in
 * `createProcessManagerRunner`.
 *
 * @example
 * ```ts
 * // strata.config.ts
 * export default { database, registry, projections: [balances], subscriptions: [processManagerSubscription(transfers)] };
 * ```
 */
export function processManagerSubscription(manager: ProcessManager<unknown, unknown, never>): Subscription {
  return Object.freeze({
    kind: "subscription",
    name: manager.name,
    handles: manager.handles,
    handle: () => Promise.reject(new InvalidArgumentError(`Process manager "${manager.name}" runs only in createProcessManagerRunner (which holds its dispatch); this subscription is for operating it.`)),
  });
}
