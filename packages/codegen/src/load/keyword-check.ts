/**
 * Refuses JSON Schema keywords and formats Strata's generators cannot honour. Pure and
 * shape-agnostic: it accepts any value (boolean schemas, non-object roots, arbitrary test-suite
 * schemas) and never throws.
 */
import { REFUSED_KEYWORD_ALTERNATIVES, SUPPORTED_FORMATS, SUPPORTED_KEYWORDS, UNKNOWN_KEYWORD_ALTERNATIVE } from "../model/supported-keywords.js";
import { walkSchemas } from "./schema-walk.js";
import { closestName } from "@strata/runtime/did-you-mean";

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
 * findUnsupportedKeywords({ properties: { x: { $dynamicRef: "#node" } } });
 * // → [{ pointer: "/properties/x", keyword: "$dynamicRef",
 * //      message: "$dynamicRef at /properties/x is not supported; use $ref to a $defs entry" }]
 */
export function findUnsupportedKeywords(schema: unknown): UnsupportedKeyword[] {
  const found: UnsupportedKeyword[] = [];
  walkSchemas(schema, (node, pointer) => {
    if (typeof node === "boolean") return;
    for (const [keyword, value] of Object.entries(node)) {
      if (!SUPPORTED_KEYWORDS.has(keyword)) {
        found.push({ pointer, keyword, message: unsupportedKeywordMessage(keyword, pointer) });
      } else if (keyword === "format" && typeof value === "string" && !SUPPORTED_FORMAT_SET.has(value)) {
        found.push({
          pointer,
          keyword,
          message: `format ${JSON.stringify(value)} at ${pointer || "/"} is not supported: Strata asserts formats and can check only ${SUPPORTED_FORMATS.join(", ")}; use pattern for any other string shape`,
        });
      }
    }
  });
  return found;
}

/**
 * `<keyword> at <pointer> is not supported; <alternative>`: the keyword as written (quoted when it
 * is not a plain name), where it is, and what to write instead.
 */
export function unsupportedKeywordMessage(keyword: string, pointer: string): string {
  const name = /^[$A-Za-z][\w$-]*$/.test(keyword) ? keyword : JSON.stringify(keyword);
  const refused = Object.hasOwn(REFUSED_KEYWORD_ALTERNATIVES, keyword);
  const alternative = refused ? REFUSED_KEYWORD_ALTERNATIVES[keyword] : UNKNOWN_KEYWORD_ALTERNATIVE;
  // A keyword Strata does not know at all is most often a typo of one it does (x-pi, requried).
  const suggestion = refused ? undefined : closestName(keyword, SUPPORTED_KEYWORDS);
  const advice = alternative ?? UNKNOWN_KEYWORD_ALTERNATIVE;
  return `${name} at ${pointer || "/"} is not supported; ${suggestion === undefined ? advice : `did you mean "${suggestion}"? Otherwise ${advice}`}`;
}
