/**
 * `type`, `enum` and `const`: the sets of JSON types and values a node accepts.
 */
import type { JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import { canonicalJson, jsonEqual } from "./canonical-json.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { BOTH_BREAKING, NARROWING, WIDENING, reportSimple } from "./diff-context.js";

const ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"] as const;

function typeOfValue(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function allowedValues(schema: JsonSchemaObject): readonly JsonValue[] | undefined {
  if (Array.isArray(schema["enum"])) return schema["enum"];
  if ("const" in schema) return [schema["const"] as JsonValue];
  return undefined;
}

/**
 * The JSON types a node accepts; `number` includes `integer`. With `enum`/`const` only the
 * listed values' types count, so `{type: ["string","null"], enum: ["a"]}` is just a string.
 */
function typeSet(schema: JsonSchemaObject): Set<string> {
  const declared = schema["type"];
  let types: string[] = [...ALL_TYPES];
  if (typeof declared === "string") types = [declared];
  else if (Array.isArray(declared)) types = declared.filter((t): t is string => typeof t === "string");
  const set = new Set(types);
  if (set.has("number")) set.add("integer");
  const values = allowedValues(schema);
  if (values === undefined) return set;
  const valueTypes = new Set<string>();
  for (const value of values) {
    const type = typeOfValue(value);
    if (set.has(type)) valueTypes.add(type);
  }
  return valueTypes;
}

function describe(types: ReadonlySet<string>): string {
  const shown = [...types].filter((t) => !(t === "integer" && types.has("number"))).sort();
  return shown.length === ALL_TYPES.length - 1 ? "any type" : shown.join(" | ");
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((t) => !b.has(t));
}

/** Reports types added (widened) and removed (narrowed). */
export function diffType(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = typeSet(older);
  const after = typeSet(newer);
  const added = difference(after, before);
  const removed = difference(before, after);
  const change = `type ${describe(before)} → ${describe(after)}`;
  if (added.length > 0) reportSimple(context, location, "type-widened", `${change} (accepts ${added.sort().join(", ")} too)`, WIDENING);
  if (removed.length > 0) reportSimple(context, location, "type-narrowed", `${change} (no longer accepts ${removed.sort().join(", ")})`, NARROWING);
}

function listValues(values: readonly JsonValue[]): string {
  return values
    .map((value) => canonicalJson(value))
    .sort()
    .join(", ");
}

/** Reports enum values added / removed, const changes, and enum/const appearing or disappearing. */
export function diffValues(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = allowedValues(older);
  const after = allowedValues(newer);
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    reportSimple(context, location, "constraint-tightened", `values restricted to ${listValues(after ?? [])}`, NARROWING);
    return;
  }
  if (after === undefined) {
    reportSimple(context, location, "constraint-loosened", `value restriction ${listValues(before)} dropped`, WIDENING);
    return;
  }
  if ("const" in older && "const" in newer && !Array.isArray(older["enum"]) && !Array.isArray(newer["enum"])) {
    if (!jsonEqual(older["const"], newer["const"])) {
      reportSimple(context, location, "const-changed", `const ${canonicalJson(older["const"])} → ${canonicalJson(newer["const"])}`, BOTH_BREAKING);
    }
    return;
  }
  const beforeKeys = new Set(before.map(canonicalJson));
  const afterKeys = new Set(after.map(canonicalJson));
  const added = after.filter((value) => !beforeKeys.has(canonicalJson(value)));
  const removed = before.filter((value) => !afterKeys.has(canonicalJson(value)));
  if (added.length > 0) reportSimple(context, location, "enum-values-added", `enum adds ${listValues(added)}`, WIDENING);
  if (removed.length > 0) reportSimple(context, location, "enum-values-removed", `enum drops ${listValues(removed)}`, NARROWING);
}
