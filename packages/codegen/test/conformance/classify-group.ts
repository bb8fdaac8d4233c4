/** Decides, for one test-suite group, whether Strata validates its schema or refuses it. */
import { printZodExpression } from "../../src/emit/zod/emit-zod.js";
import { isZodEmitError } from "../../src/emit/zod/zod-emit-error.js";
import type { ZodEmitReason } from "../../src/emit/zod/zod-emit-error.js";
import { refusals } from "./refusal.js";
import type { SuiteGroup } from "./suite-files.js";

/** The keyword a refusal message names, per emitter reason. */
const REASON_KEYWORDS: Partial<Record<ZodEmitReason, string>> = {
  "ref-outside-document": "$ref",
  "unresolved-ref": "$ref",
  "circular-ref": "$ref",
  "invalid-pattern": "pattern",
  "unsupported-format": "format",
};

/** The emitted validator code, or the keywords and messages of a refusal. */
export type GroupVerdict =
  | { readonly kind: "validated"; readonly code: string }
  | { readonly kind: "refused"; readonly keywords: readonly string[]; readonly reasons: readonly { readonly keyword: string; readonly message: string }[] };

/**
 * Refused when the loader's checks object (see refusal.ts) or when the emitter itself throws a
 * `ZodEmitError` (a circular or unresolvable `$ref`, which the loader also refuses).
 */
export function classifyGroup(group: SuiteGroup): GroupVerdict {
  const found = refusals(group.schema);
  if (found.length > 0) {
    return { kind: "refused", keywords: [...new Set(found.map((r) => r.keyword))], reasons: found };
  }
  try {
    return { kind: "validated", code: printZodExpression(group.schema) };
  } catch (error) {
    if (!isZodEmitError(error)) throw error;
    const keyword = REASON_KEYWORDS[error.reason] ?? "keyword";
    return { kind: "refused", keywords: [`${keyword} (${error.reason})`], reasons: [{ keyword, message: error.message }] };
  }
}
