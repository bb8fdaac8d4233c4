/**
 * The read-side schema of one event version: the version's resolved schema, with every schema
 * that describes a personal-data path (`x-pii`) widened to also admit the runtime's erased
 * marker (`{"$erased": true}`). An erased data subject's fields read back as that marker, so
 * handlers get `T | Erased` at exactly those paths — and nowhere else.
 *
 * Why a schema transform and not a second emitter: the read validator and the read type are
 * then printed by the same zod and TypeScript emitters as the write side, so both sides agree on
 * every other keyword by construction.
 */
import { parsePointer } from "../load/json-pointer.js";
import type { JsonSchemaObject, JsonValue, PiiField } from "../model/catalog-model.js";

/** The erased marker as JSON Schema, for the zod emitter: `{"$erased": true}` and nothing else. */
export const ERASED_MARKER_SCHEMA: JsonSchemaObject = {
  type: "object",
  properties: { $erased: { const: true } },
  required: ["$erased"],
  additionalProperties: false,
};

/**
 * The erased marker for json-schema-to-typescript: its `tsType` names the runtime's `Erased`
 * type, which the types file imports from `@strata/runtime`.
 */
export const ERASED_TS_SCHEMA: JsonSchemaObject = { tsType: "Erased" };

type SchemaMap = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is SchemaMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON Pointer → segments (`~1` → `/`, `~0` → `~`); a pointer without a leading `/` has none. */
function segmentsOf(pointer: string): string[] {
  return parsePointer(pointer) ?? [];
}

const COMBINATORS = ["allOf", "anyOf", "oneOf"] as const;
const BRANCHES = ["then", "else"] as const;

/**
 * `schema` with every sub-schema that applies to the data at `segments` replaced by
 * `{ anyOf: [sub-schema, marker] }`. Follows the same keywords the loader's personal-data map
 * does: `properties`, `items` (`*`), `prefixItems` (an index; `*` covers them too) and the
 * in-place subschemas (`allOf`/`anyOf`/`oneOf` branches, `then`, `else`, `dependentSchemas`),
 * which describe the same data path.
 */
function widenAt(schema: JsonValue, segments: readonly string[], marker: JsonSchemaObject): JsonValue {
  if (segments.length === 0) return { anyOf: [schema, marker] };
  if (!isObject(schema)) return schema;
  const [head, ...rest] = segments as [string, ...string[]];
  const out: Record<string, JsonValue> = { ...schema };
  const properties = schema["properties"];
  if (isObject(properties) && Object.hasOwn(properties, head)) {
    out["properties"] = { ...properties, [head]: widenAt(properties[head] ?? true, rest, marker) };
  }
  const prefixItems = schema["prefixItems"];
  const isIndex = /^(0|[1-9][0-9]*)$/.test(head);
  if (Array.isArray(prefixItems) && (head === "*" || isIndex)) {
    out["prefixItems"] = prefixItems.map((item, index) => (head === "*" || index === Number(head) ? widenAt(item, rest, marker) : item));
  }
  const items = schema["items"];
  const prefixLength = Array.isArray(prefixItems) ? prefixItems.length : 0;
  if (items !== undefined && items !== false && (head === "*" || (isIndex && Number(head) >= prefixLength))) {
    out["items"] = widenAt(items, rest, marker);
  }
  for (const combinator of COMBINATORS) {
    const branches = schema[combinator];
    if (Array.isArray(branches)) out[combinator] = branches.map((branch) => widenAt(branch, segments, marker));
  }
  for (const keyword of BRANCHES) {
    const branch = schema[keyword];
    if (branch !== undefined) out[keyword] = widenAt(branch, segments, marker);
  }
  const dependent = schema["dependentSchemas"];
  if (isObject(dependent)) out["dependentSchemas"] = Object.fromEntries(Object.entries(dependent).map(([name, sub]) => [name, widenAt(sub, segments, marker)]));
  return out;
}

/**
 * The read-side schema of a version: `resolved` widened at every personal-data path in `pii` to
 * admit `marker` ({@link ERASED_MARKER_SCHEMA} for validators, {@link ERASED_TS_SCHEMA} for
 * types). Returns `resolved` itself when the version has no personal data.
 */
export function readSchema(resolved: JsonSchemaObject, pii: readonly PiiField[], marker: JsonSchemaObject): JsonSchemaObject {
  let schema: JsonValue = resolved;
  for (const field of pii) schema = widenAt(schema, segmentsOf(field.path), marker);
  return schema as JsonSchemaObject;
}
