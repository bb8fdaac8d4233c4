/**
 * One direction of a compatibility verdict: does every instance of `from` validate under `to`?
 * A "no" is only reported with a witness the real validator confirms (accepted by `from`,
 * rejected by `to`), located by the validator's own error pointer. When the engine cannot prove
 * inclusion and no candidate is confirmed, the answer is "undecidable" with the engine's reason:
 * never silently compatible.
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { accepts, failurePointer } from "./oracle.js";
import { createEngine } from "./subset.js";

/** An instance that shows a break, and where the rejecting schema fails it. */
export interface Witness {
  readonly instance: JsonValue;
  /** JSON Pointer into `instance` (`""` for the whole instance). */
  readonly pointer: string;
}

/** The answer for one direction. */
export type InclusionVerdict =
  | { readonly verdict: "compatible" }
  | { readonly verdict: "breaking"; readonly witness: Witness; readonly reason: string }
  | { readonly verdict: "undecidable"; readonly reason: string };

/** Judges `from ⊆ to` (BACKWARD is `judgeInclusion(old, new)`, FORWARD `judgeInclusion(new, old)`). */
export function judgeInclusion(from: JsonSchema, to: JsonSchema): InclusionVerdict {
  const engine = createEngine();
  const result = engine.subset(from, to);
  if (result.holds) return { verdict: "compatible" };
  const fallback = engine.example(from);
  const candidates = [...result.candidates, ...(fallback === undefined ? [] : [{ value: fallback, pointer: "" }])];
  for (const candidate of candidates) {
    if (accepts(from, candidate.value) && !accepts(to, candidate.value)) {
      const pointer = failurePointer(to, candidate.value);
      return { verdict: "breaking", witness: { instance: candidate.value, pointer: pointer === "" ? candidate.pointer : pointer }, reason: result.reason };
    }
  }
  return { verdict: "undecidable", reason: result.decided ? `no instance confirmed the break (${result.reason})` : result.reason };
}
