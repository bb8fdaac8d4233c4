/**
 * Object keywords: `properties` (added, removed, renamed via `x-renamed-from`, changed),
 * `required`, `additionalProperties`, and the keywords compared as a whole
 * (`patternProperties`, `propertyNames`, `dependentRequired`).
 *
 * Strata's content-model rule (docs/schema-evolution.md, "Open and closed content models"): a
 * name a version does not declare is taken as never written by that version's writers. So adding
 * an optional property is BACKWARD-compatible in open and closed models alike, and removing a
 * property that was optional is FORWARD-compatible; whether the *other* direction breaks depends
 * on whether the reader's model is closed (`additionalProperties: false`).
 */
import type { UpcastOperation } from "@strata/runtime";

import type { JsonSchema, JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import { jsonEqual } from "./canonical-json.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { BOTH_BREAKING, NARROWING, WIDENING, at, report, reportSimple, within } from "./diff-context.js";
import { childPointer } from "./json-pointer.js";
import { asSchema, normalizeSchema } from "./normalize-schema.js";
import type { Verdict } from "./schema-change.js";

function propertiesOf(schema: JsonSchemaObject): ReadonlyMap<string, JsonSchema> {
  const properties = schema["properties"];
  const map = new Map<string, JsonSchema>();
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return map;
  for (const [name, value] of Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const schemaValue = asSchema(value);
    if (schemaValue !== undefined) map.set(name, schemaValue);
  }
  return map;
}

function requiredOf(schema: JsonSchemaObject): ReadonlySet<string> {
  const required = schema["required"];
  return new Set(Array.isArray(required) ? required.filter((name): name is string => typeof name === "string") : []);
}

function defaultOf(schema: JsonSchema | undefined): { readonly value: JsonValue } | undefined {
  return typeof schema === "object" && "default" in schema ? { value: schema["default"] as JsonValue } : undefined;
}

function renamedFrom(schema: JsonSchema): string | undefined {
  const from = typeof schema === "object" ? schema["x-renamed-from"] : undefined;
  return typeof from === "string" ? from : undefined;
}

/**
 * What a reader with `schema` makes of a property `name` it does not declare: `"rejects"`
 * (closed model), `"accepts"` (open), or `"depends"` (a schema for extra names applies).
 */
function undeclaredPolicy(schema: JsonSchemaObject, name: string): "rejects" | "accepts" | "depends" {
  const patterns = schema["patternProperties"];
  if (typeof patterns === "object" && patterns !== null && !Array.isArray(patterns)) {
    if (Object.keys(patterns).some((pattern) => safeTest(pattern, name))) return "depends";
  }
  const extra = normalizeSchema(asSchema(schema["additionalProperties"]));
  if (extra === false) return "rejects";
  return Object.keys(extra).length === 0 ? "accepts" : "depends";
}

function safeTest(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, "u").test(name);
  } catch {
    return true;
  }
}

function setDefault(pointer: string, schema: JsonSchema): readonly UpcastOperation[] | null {
  const found = defaultOf(schema);
  return found === undefined ? null : [{ op: "set-default", path: pointer, value: found.value }];
}

function diffProperties(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = propertiesOf(older);
  const after = propertiesOf(newer);
  const requiredBefore = requiredOf(older);
  const requiredAfter = requiredOf(newer);
  const renames = new Map<string, string>(); // new name → old name
  for (const [name, schema] of after) {
    const from = renamedFrom(schema);
    if (from !== undefined && !before.has(name) && before.has(from) && !after.has(from)) renames.set(name, from);
  }
  const renamedAway = new Set(renames.values());

  for (const [newName, oldName] of renames) {
    const pointer = childPointer(location.pointer, newName);
    const newSchema = after.get(newName) as JsonSchema;
    const newReaderRejectsOld = undeclaredPolicy(newer, oldName) !== "accepts";
    const backward: Verdict = newReaderRejectsOld || requiredAfter.has(newName) ? "breaking" : "compatible";
    const forward: Verdict = undeclaredPolicy(older, newName) !== "accepts" || requiredBefore.has(oldName) ? "breaking" : "compatible";
    const rename: UpcastOperation = { op: "rename", path: childPointer(location.pointer, oldName), to: newName };
    let derivable: readonly UpcastOperation[] | null = [rename];
    if (requiredAfter.has(newName) && !requiredBefore.has(oldName)) {
      const fill = setDefault(pointer, newSchema);
      derivable = fill === null ? null : [rename, ...fill];
    }
    report(context, at(location, pointer), "property-renamed", `renamed from "${oldName}"`, { backward, forward }, derivable);
    context.diffNode(before.get(oldName), newSchema, at(location, pointer));
  }

  for (const name of before.keys()) {
    if (after.has(name) || renamedAway.has(name)) continue;
    const pointer = childPointer(location.pointer, name);
    const policy = undeclaredPolicy(newer, name);
    const backward: Verdict = policy === "accepts" ? "compatible" : "breaking";
    const forward: Verdict = requiredBefore.has(name) ? "breaking" : "compatible";
    const detail = `${requiredBefore.has(name) ? "required" : "optional"} property removed${policy === "rejects" ? " (the new model is closed)" : ""}`;
    report(context, at(location, pointer), "property-removed", detail, { backward, forward }, [{ op: "remove", path: pointer }]);
  }

  for (const [name, schema] of after) {
    if (before.has(name) || renames.has(name)) continue;
    const pointer = childPointer(location.pointer, name);
    const required = requiredAfter.has(name);
    const fill = defaultOf(schema);
    const policy = undeclaredPolicy(older, name);
    const backward: Verdict = required ? "breaking" : "compatible";
    const forward: Verdict = policy === "accepts" ? "compatible" : "breaking";
    const derivable = required ? setDefault(pointer, schema) : [];
    const detail = `${required ? "required" : "optional"} property added${fill === undefined ? "" : ` with default ${JSON.stringify(fill.value)}`}${required && fill === undefined ? " and no default" : ""}${policy === "rejects" ? " (the old model is closed)" : ""}`;
    report(context, at(location, pointer), "property-added", detail, { backward, forward }, derivable);
  }

  for (const [name, schema] of after) {
    if (!before.has(name)) continue;
    const pointer = childPointer(location.pointer, name);
    context.diffNode(before.get(name), schema, at(location, pointer));
  }

  // Required names: properties present in both versions, and names required without being declared.
  const comparable = new Set([...requiredBefore, ...requiredAfter].filter((name) => before.has(name) === after.has(name) && !renames.has(name)));
  for (const name of comparable) {
    const pointer = childPointer(location.pointer, name);
    if (!requiredBefore.has(name) && requiredAfter.has(name)) {
      const schema = after.get(name);
      report(context, at(location, pointer), "required-added", "property became required", NARROWING, schema === undefined ? null : setDefault(pointer, schema));
    } else if (requiredBefore.has(name) && !requiredAfter.has(name)) {
      reportSimple(context, at(location, pointer), "required-removed", "property became optional", WIDENING);
    }
  }
}

function diffAdditionalProperties(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = normalizeSchema(asSchema(older["additionalProperties"]));
  const after = normalizeSchema(asSchema(newer["additionalProperties"]));
  if (before === false && after === false) return;
  if (before === false) {
    reportSimple(context, location, "additional-properties-opened", "additionalProperties false → allowed", WIDENING);
  } else if (after === false) {
    reportSimple(context, location, "additional-properties-closed", "additionalProperties allowed → false", NARROWING);
  } else {
    context.diffNode(before, after, within(location, "additionalProperties"));
  }
}

/** Keywords compared as a whole: added tightens, removed loosens, changed breaks both ways. */
const WHOLE_KEYWORDS = ["patternProperties", "propertyNames", "dependentRequired"] as const;

function diffWhole(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  for (const keyword of WHOLE_KEYWORDS) {
    const before = older[keyword];
    const after = newer[keyword];
    if (jsonEqual(before ?? null, after ?? null)) continue;
    if (before === undefined) reportSimple(context, location, "constraint-tightened", `${keyword} added`, NARROWING);
    else if (after === undefined) reportSimple(context, location, "constraint-loosened", `${keyword} removed`, WIDENING);
    else reportSimple(context, location, "constraint-changed", `${keyword} changed`, BOTH_BREAKING);
  }
}

/** Reports every object-keyword change of one node. */
export function diffObject(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  diffProperties(context, older, newer, location);
  diffAdditionalProperties(context, older, newer, location);
  diffWhole(context, older, newer, location);
}
