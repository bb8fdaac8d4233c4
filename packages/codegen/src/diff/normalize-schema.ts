/**
 * Brings one schema node into the shape the diff engine compares: booleans become `false` or
 * `{}`, annotations are dropped, and `allOf` branches that do not conflict with their parent are
 * merged into it. The loader turns a `$ref` with siblings into `{ allOf: [target], ...siblings }`;
 * merging it back lets `{ $ref: currency, default: "EUR" }` compare like an inline schema.
 */
import type { JsonSchema, JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import { ANNOTATION_KEYWORDS } from "../model/supported-keywords.js";
import { jsonEqual } from "./canonical-json.js";

/** A schema node after normalisation: `false`, or an object without annotations. */
export type NormalSchema = false | JsonSchemaObject;

/** Keywords that never change what is valid. `default` and `x-renamed-from` are kept: they drive upcasters. */
const IGNORED = new Set<string>([...ANNOTATION_KEYWORDS.filter((k) => k !== "default"), "x-pii", "x-data-subject"]);

function isSchemaObject(value: JsonValue | undefined): value is JsonSchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a subschema keyword value as a schema (`undefined` when absent or not a schema). */
export function asSchema(value: JsonValue | undefined): JsonSchema | undefined {
  if (typeof value === "boolean" || isSchemaObject(value)) return value;
  return undefined;
}

/** Normalises one node (see the module comment). Absent schemas count as `true`. */
export function normalizeSchema(schema: JsonSchema | undefined): NormalSchema {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return false;
  const own: Record<string, JsonValue> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!IGNORED.has(keyword) && keyword !== "allOf") own[keyword] = value;
  }
  const allOf = Array.isArray(schema["allOf"]) ? schema["allOf"] : [];
  const residual: JsonValue[] = [];
  for (const branch of allOf) {
    const normal = normalizeSchema(asSchema(branch));
    if (normal === false) return false;
    const conflicts = Object.entries(normal).some(([keyword, value]) => keyword !== "default" && keyword in own && !jsonEqual(own[keyword], value));
    if (conflicts) {
      residual.push(normal);
      continue;
    }
    // The branch's `default` only annotates; the parent's (a $ref sibling) wins.
    for (const [keyword, value] of Object.entries(normal)) if (!(keyword in own)) own[keyword] = value;
  }
  if (residual.length > 0) own["allOf"] = residual;
  return own;
}
