/**
 * What json-schema-to-typescript cannot read — `unevaluatedProperties`, `unevaluatedItems`,
 * `if`/`then`/`else`, `dependentSchemas` — rewritten into keywords it can, so the printed type
 * is the tightest honest superset of the schema and the zod validator enforces the rest.
 *
 * - `unevaluatedProperties: false` becomes `additionalProperties: false` on the object and on the
 *   `allOf`/`anyOf`/`oneOf` branches that do not open it themselves, so an intersection or union
 *   of branches has no index signature. Properties that only a conditional part declares (`if`,
 *   `then`, `else`, a `dependentSchemas` entry) become optional properties of the object, typed
 *   as the union of their declarations: a valid value carries such a name only when that part
 *   applied. A name the object or one of its branches declares keeps that declaration (the
 *   conditional one narrows it only sometimes, so adding it would not be a superset). When a
 *   conditional part opens the object (additionalProperties, patternProperties, a non-false
 *   unevaluatedProperties), the type stays open.
 * - `unevaluatedItems` beside `prefixItems` and nothing that could evaluate further items is the
 *   tuple's rest (`items`); anywhere else it is left to the validator.
 */
import type { JsonValue } from "../model/catalog-model.js";

type SchemaObject = Record<string, JsonValue>;

const BRANCHES = ["allOf", "anyOf", "oneOf"] as const;
const CONDITIONAL = ["if", "then", "else"] as const;
const IN_PLACE_ITEMS = ["allOf", "anyOf", "oneOf", "if", "then", "else", "contains", "items"] as const;

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `schema` lets names beyond its declared properties through by itself. */
function opens(schema: { readonly [key: string]: JsonValue }): boolean {
  const additional = schema["additionalProperties"];
  const unevaluated = schema["unevaluatedProperties"];
  return (additional !== undefined && additional !== false) || "patternProperties" in schema || (unevaluated !== undefined && unevaluated !== false);
}

/** The branch with `additionalProperties: false`, and its own branches likewise, unless it opens itself. */
function closeBranch(branch: JsonValue): JsonValue {
  if (!isObject(branch) || opens(branch) || "additionalProperties" in branch) return branch;
  const out: SchemaObject = { ...branch, additionalProperties: false };
  for (const keyword of BRANCHES) {
    const nested = branch[keyword];
    if (Array.isArray(nested)) out[keyword] = nested.map(closeBranch);
  }
  return out;
}

/** Names declared by `schema` and its `allOf`/`anyOf`/`oneOf` branches, at any depth. */
function unconditionalNames(schema: JsonValue, into: Set<string>): void {
  if (!isObject(schema)) return;
  const properties = schema["properties"];
  if (isObject(properties)) for (const name of Object.keys(properties)) into.add(name);
  for (const keyword of BRANCHES) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const branch of branches) unconditionalNames(branch, into);
  }
}

/** Property declarations of a conditional part and everything in place inside it; false when it opens the object. */
function conditionalDeclarations(schema: JsonValue, into: Map<string, JsonValue[]>): boolean {
  if (!isObject(schema)) return true;
  if (opens(schema)) return false;
  const properties = schema["properties"];
  if (isObject(properties)) for (const [name, sub] of Object.entries(properties)) into.set(name, [...(into.get(name) ?? []), sub]);
  const parts: JsonValue[] = [...BRANCHES.flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as JsonValue[]) : [])), ...CONDITIONAL.map((k) => schema[k] ?? true)];
  const dependent = schema["dependentSchemas"];
  if (isObject(dependent)) parts.push(...Object.values(dependent));
  return parts.every((part) => conditionalDeclarations(part, into));
}

function closeProperties(schema: { readonly [key: string]: JsonValue }): { readonly [key: string]: JsonValue } {
  if ("additionalProperties" in schema) return schema;
  const conditional = new Map<string, JsonValue[]>();
  const parts: JsonValue[] = CONDITIONAL.map((k) => schema[k] ?? true);
  const dependent = schema["dependentSchemas"];
  if (isObject(dependent)) parts.push(...Object.values(dependent));
  if (!parts.every((part) => conditionalDeclarations(part, conditional))) return schema;
  const declared = new Set<string>();
  unconditionalNames(schema, declared);
  const added = [...conditional].filter(([name]) => !declared.has(name));
  const out: SchemaObject = { ...schema, additionalProperties: false };
  if (added.length > 0) {
    const properties = isObject(schema["properties"]) ? schema["properties"] : {};
    out["properties"] = { ...properties, ...Object.fromEntries(added.map(([name, subs]) => [name, subs.length === 1 ? (subs[0] ?? true) : { anyOf: subs }])) };
  }
  for (const keyword of BRANCHES) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) out[keyword] = branches.map(closeBranch);
  }
  return out;
}

/**
 * `schema` (one node, before its subschemas are cleaned) with `unevaluatedProperties: false`
 * and a lone tuple's `unevaluatedItems` turned into keywords json-schema-to-typescript reads.
 */
export function unevaluatedForTypes(schema: { readonly [key: string]: JsonValue }): { readonly [key: string]: JsonValue } {
  let out = schema["unevaluatedProperties"] === false ? closeProperties(schema) : schema;
  const rest = schema["unevaluatedItems"];
  if (rest !== undefined && Array.isArray(schema["prefixItems"]) && IN_PLACE_ITEMS.every((keyword) => !(keyword in schema))) {
    out = { ...out, items: rest };
  }
  return out;
}

/** Keywords the validator enforces and the type leaves out (after {@link unevaluatedForTypes}). */
export const VALIDATOR_ONLY_KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependentRequired",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
]);
