import type { ExpectedVersion } from "../errors.js";
import type { StreamStep } from "./statements.js";

/** Which stream step enforces an expected version. */
export function streamStepFor(expected: ExpectedVersion): StreamStep {
  if (expected === "any") return "create-or-extend";
  if (expected === "no_stream" || expected === 0) return "create";
  if (expected === "stream_exists") return "extend";
  return "extend-at";
}

/** Whether a stream at `actual` (0 = absent) satisfies `expected`. */
export function satisfies(expected: ExpectedVersion, actual: number): boolean {
  if (expected === "any") return true;
  if (expected === "no_stream") return actual === 0;
  if (expected === "stream_exists") return actual > 0;
  return expected === actual;
}
