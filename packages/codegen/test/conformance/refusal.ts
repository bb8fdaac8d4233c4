/**
 * Why Strata refuses a test-suite schema, as the loader would: keywords outside
 * SUPPORTED_KEYWORDS (the loader's own `findUnsupportedKeywords`), `$ref`s outside the document
 * (the catalog has no remote documents), and embedded resources (`$id`/`$schema` below the root,
 * the loader's `nested-resource` rule), and a `$schema` other than draft 2020-12 (the loader's
 * `unsupported-dialect` rule).
 */
import { findUnsupportedKeywords } from "../../src/load/keyword-check.js";
import { walkSchemas } from "../../src/load/schema-walk.js";

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** One reason to refuse a schema. */
export interface Refusal {
  readonly keyword: string;
  readonly pointer: string;
  readonly message: string;
}

/** Every reason the loader refuses `schema`; empty when it is accepted. */
export function refusals(schema: unknown): Refusal[] {
  const found: Refusal[] = findUnsupportedKeywords(schema).map(({ keyword, pointer, message }) => ({ keyword, pointer, message }));
  const dialect = typeof schema === "object" && schema !== null ? (schema as Record<string, unknown>)["$schema"] : undefined;
  if (dialect !== undefined && dialect !== DRAFT_2020_12) {
    found.push({ keyword: "$schema", pointer: "", message: `$schema ${JSON.stringify(dialect)} at / is not JSON Schema draft 2020-12 (${DRAFT_2020_12})` });
  }
  walkSchemas(schema, (node, pointer) => {
    if (typeof node === "boolean") return;
    const ref = node["$ref"];
    if (typeof ref === "string" && !ref.startsWith("#")) {
      found.push({ keyword: "$ref", pointer, message: `$ref ${JSON.stringify(ref)} at ${pointer || "/"} points outside the catalog` });
    }
    for (const keyword of ["$id", "$schema"]) {
      if (pointer !== "" && keyword in node) {
        found.push({ keyword, pointer, message: `${keyword} at ${pointer} declares an embedded resource; only a file's root may carry it` });
      }
    }
  });
  return found;
}
