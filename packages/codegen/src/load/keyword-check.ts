/**
 * Refuses JSON Schema keywords and formats Strata's generators cannot honour. Pure and
 * shape-agnostic: it accepts any value (boolean schemas, non-object roots, arbitrary test-suite
 * schemas) and never throws.
 */
import { SUPPORTED_FORMATS, SUPPORTED_KEYWORDS } from "../model/supported-keywords.js";
import { walkSchemas } from "./schema-walk.js";

/** One refused keyword use. */
export interface UnsupportedKeyword {
  /** JSON Pointer of the schema object that uses the keyword. */
  readonly pointer: string;
  /** The keyword (`"format"` for an unsupported format value). */
  readonly keyword: string;
  readonly message: string;
}

const SUPPORTED_FORMAT_SET: ReadonlySet<string> = new Set(SUPPORTED_FORMATS);

/**
 * Lists every keyword outside `SUPPORTED_KEYWORDS` and every `format` outside
 * `SUPPORTED_FORMATS`, at any depth. Keys inside `properties`, `patternProperties` and `$defs`
 * are names, not keywords; values of `enum`, `const`, `default` and `examples` are data.
 * Values that are not schemas (neither object nor boolean) yield nothing: the meta-schema
 * check reports those.
 *
 * @example
 * findUnsupportedKeywords({ properties: { if: { if: true } } });
 * // → [{ pointer: "/properties/if", keyword: "if", message: "unsupported keyword \"if\" at /properties/if: ..." }]
 */
export function findUnsupportedKeywords(schema: unknown): UnsupportedKeyword[] {
  const found: UnsupportedKeyword[] = [];
  walkSchemas(schema, (node, pointer) => {
    if (typeof node === "boolean") return;
    for (const [keyword, value] of Object.entries(node)) {
      if (!SUPPORTED_KEYWORDS.has(keyword)) {
        found.push({
          pointer,
          keyword,
          message: `unsupported keyword ${JSON.stringify(keyword)} at ${pointer || "/"}: Strata cannot generate validators for it; supported keywords are listed in docs/schema-reference.md`,
        });
      } else if (keyword === "format" && typeof value === "string" && !SUPPORTED_FORMAT_SET.has(value)) {
        found.push({
          pointer,
          keyword,
          message: `unsupported format ${JSON.stringify(value)} at ${pointer || "/"}: Strata asserts formats and can check only ${SUPPORTED_FORMATS.join(", ")}`,
        });
      }
    }
  });
  return found;
}
