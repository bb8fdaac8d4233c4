/** The per-file checks that need no other file: meta-schema, supported keywords, object root, unique anchors. */
import { findAnchors } from "./anchors.js";
import { findUnsupportedKeywords } from "./keyword-check.js";
import type { ProblemList } from "./problem-list.js";
import { isRecord } from "./schema-walk.js";
import { validateAgainstMetaSchema } from "./validate-meta.js";
import type { ValidationMemo } from "./validation-memo.js";

/** Reports every meta-schema violation and refused keyword of one parsed schema file; `memo` skips the meta-schema check of files known to pass it. */
export function checkSchemaFile(rel: string, value: unknown, isEvent: boolean, problems: ProblemList, memo?: ValidationMemo): void {
  if (isEvent && !(isRecord(value) && value["type"] === "object")) {
    problems.add("non-object-root", rel, "", `an event schema's root must be {"type": "object", ...}; event data is always a JSON object`);
  }
  for (const { pointer, message } of validateAgainstMetaSchema(value, memo)) {
    problems.add("invalid-schema", rel, pointer, `${message} (JSON Schema 2020-12 / Strata vendor keywords)`);
  }
  for (const found of findUnsupportedKeywords(value)) {
    problems.add(found.keyword === "format" ? "unsupported-format" : "unknown-keyword", rel, found.pointer, found.message);
  }
  for (const [name, pointers] of findAnchors(value)) {
    if (pointers.length > 1) {
      problems.add("duplicate-anchor", rel, pointers[1] ?? "", `"$anchor": ${JSON.stringify(name)} is declared ${pointers.length} times in this file (${pointers.map((p) => p || "/").join(", ")}); an anchor names one subschema`);
    }
  }
}
