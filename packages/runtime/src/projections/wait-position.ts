/**
 * What `ProjectionEngine.waitFor` waits for (read-your-writes).
 *
 * @module
 */
import type { Checkpoint } from "../store/recorded-event.js";

/** A position to wait for: a checkpoint, a recorded event, or an append's result (its last event). */
export type WaitPosition = Checkpoint | { readonly checkpoint: Checkpoint } | { readonly events: readonly { readonly checkpoint: Checkpoint }[] };

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** The projections (or subscriptions) to wait for (default: every projection of the engine). */
  readonly projections?: readonly string[];
  /** How long to wait before rejecting with `ProjectionWaitTimeoutError` (default 5 000 ms). */
  readonly timeoutMs?: number;
}

/** The checkpoint of `position`, or undefined when it names no event (an empty append). */
export function checkpointOf(position: WaitPosition): Checkpoint | undefined {
  if (typeof position === "string") return position;
  if ("checkpoint" in position) return position.checkpoint;
  return position.events.at(-1)?.checkpoint;
}

