/**
 * The metadata an append inherits from where it runs: the trace context (when a span is active)
 * and the causation of the reaction it belongs to (see `causation.ts`). Explicit metadata wins.
 */
import type { EventMetadata } from "../store/recorded-event.js";
import { currentCausation } from "./causation.js";
import { traceMetadata } from "./trace-context.js";

/** The ambient metadata, or `undefined` when there is none (the common case without an SDK: nothing is added). */
export function ambientMetadata(): EventMetadata | undefined {
  const trace = traceMetadata();
  const causation = currentCausation();
  if (trace === undefined && causation === undefined) return undefined;
  return { ...causation, ...trace };
}

/** `explicit` over `ambient`, field by field; `explicit` itself when there is nothing ambient. */
export function withAmbient(explicit: EventMetadata | undefined, ambient: EventMetadata | undefined): EventMetadata | undefined {
  if (ambient === undefined) return explicit;
  return explicit === undefined ? ambient : { ...ambient, ...explicit };
}
