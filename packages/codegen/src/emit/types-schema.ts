/**
 * Prepares a resolved version schema for json-schema-to-typescript, so the types it prints are
 * stable and self-contained.
 *
 * json-schema-to-typescript names a declaration after a sub-schema's `title` or `$id`; inlined
 * `$ref`s (Money, …) would then declare the same interface once per version and clash inside one
 * file. Keeping only the root title (the version type's name) makes every nested type inline.
 * It also only knows draft-04 tuples, so `prefixItems` becomes `items: [...]`, and it does not read
 * the keywords that depend on other keywords: types-unevaluated.ts turns them into ones it does.
 */
import type { JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import { VALIDATOR_ONLY_KEYWORDS, unevaluatedForTypes } from "./types-unevaluated.js";

/** Keywords that only name or reference things; dropped below the root. */
const NAMING_KEYWORDS = new Set(["title", "$id", "$schema", "$defs", "$anchor", "$comment", "definitions"]);

/** Keywords whose value is a map of sub-schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas"]);

/** Keywords whose value is a sub-schema or a list of sub-schemas. */
const SCHEMA_KEYWORDS = new Set([
  "items",
  "prefixItems",
  "additionalProperties",
  "propertyNames",
  "contains",
  "not",
  "allOf",
  "anyOf",
  "oneOf",
]);

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keywords that only annotate; they may sit beside a lone `allOf` member without changing its type. */
const ANNOTATIONS = new Set(["description", "default", "examples", "deprecated", "readOnly", "writeOnly"]);

/**
 * `{ allOf: [target], description, default }` — how the loader inlines a `$ref` with sibling
 * annotations — becomes `{ ...target, description, default }`; json-schema-to-typescript would
 * otherwise print an intersection such as `("EUR" | "USD") & string`.
 */
function mergeLoneAllOf(schema: Record<string, JsonValue>): JsonValue | undefined {
  const allOf = schema["allOf"];
  if (!Array.isArray(allOf) || allOf.length !== 1 || !isObject(allOf[0])) return undefined;
  const siblings = Object.keys(schema).filter((keyword) => keyword !== "allOf");
  if (!siblings.every((keyword) => ANNOTATIONS.has(keyword))) return undefined;
  const { allOf: _allOf, ...annotations } = schema;
  return { ...allOf[0], ...annotations };
}

function cleanSchema(schema: JsonValue): JsonValue {
  if (!isObject(schema)) return schema;
  const out: Record<string, JsonValue> = {};
  for (const [keyword, value] of Object.entries(unevaluatedForTypes(schema))) {
    if (NAMING_KEYWORDS.has(keyword) || VALIDATOR_ONLY_KEYWORDS.has(keyword) || keyword.startsWith("x-")) continue;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, cleanSchema(sub)]));
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      out[keyword] = Array.isArray(value) ? value.map(cleanSchema) : cleanSchema(value);
    } else {
      out[keyword] = value;
    }
  }
  const merged = mergeLoneAllOf(out);
  if (merged !== undefined) return merged;
  const prefixItems = out["prefixItems"];
  if (Array.isArray(prefixItems)) {
    delete out["prefixItems"];
    const rest = out["items"];
    out["items"] = prefixItems;
    out["additionalItems"] = rest ?? true;
  }
  return out;
}

/** A copy of `resolved` ready for json-schema-to-typescript, with `typeName` as its only title. */
export function schemaForTypes(resolved: JsonSchemaObject, typeName: string): Record<string, unknown> {
  const cleaned = cleanSchema(resolved) as Record<string, JsonValue>;
  return { ...cleaned, title: typeName };
}
