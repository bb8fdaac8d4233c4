/**
 * `$ref` targets, read from the schemas as written: a reference that points elsewhere (or that
 * replaced or became an inline schema) is reported as `ref-target-changed`. The change itself is
 * neutral; what the new target accepts differently is reported by the structural diff of the
 * resolved schemas.
 */
import type { JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import type { DiffContext } from "./diff-context.js";
import { NEUTRAL, reportSimple } from "./diff-context.js";
import { childPointer, itemsPointer } from "./json-pointer.js";

interface RefSite {
  readonly pointer: string;
  readonly label: string;
  readonly target: string | undefined;
}

function isObject(value: JsonValue | undefined): value is JsonSchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absolute(ref: string, base: string | undefined): string {
  // A local reference ("#/$defs/x") names a place in the same version: keep it relative.
  if (base === undefined || ref.startsWith("#")) return ref;
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

/** Every schema position (data pointer + schema label) with the `$ref` found there, if any. */
function collect(schema: JsonSchemaObject, base: string | undefined): Map<string, RefSite> {
  const sites = new Map<string, RefSite>();
  const visit = (node: JsonValue | undefined, pointer: string, label: string): void => {
    if (!isObject(node)) return;
    const ref = node["$ref"];
    sites.set(`${pointer}|${label}`, { pointer, label, target: typeof ref === "string" ? absolute(ref, base) : undefined });
    const properties = node["properties"];
    if (isObject(properties)) for (const [name, child] of Object.entries(properties)) visit(child, childPointer(pointer, name), "");
    visit(node["items"], itemsPointer(pointer), "");
    const prefix = node["prefixItems"];
    if (Array.isArray(prefix)) prefix.forEach((child, index) => visit(child, childPointer(pointer, String(index)), ""));
    visit(node["additionalProperties"], pointer, `${label}additionalProperties: `);
    visit(node["contains"], pointer, `${label}contains: `);
    for (const keyword of ["anyOf", "oneOf", "allOf"]) {
      const branches = node[keyword];
      if (Array.isArray(branches)) branches.forEach((child, index) => visit(child, pointer, `${label}${keyword}[${index}]: `));
    }
  };
  visit(schema, "", "");
  return sites;
}

/** Reports `ref-target-changed` for positions present in both versions whose reference differs. */
export function diffRefTargets(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject): void {
  const idOf = (schema: JsonSchemaObject): string | undefined => (typeof schema["$id"] === "string" ? schema["$id"] : undefined);
  const before = collect(older, idOf(older));
  const after = collect(newer, idOf(newer));
  for (const [key, site] of after) {
    const previous = before.get(key);
    if (previous === undefined || previous.target === site.target) continue;
    const show = (target: string | undefined): string => (target === undefined ? "inline schema" : `$ref ${target}`);
    const location = { pointer: site.pointer, label: site.label, conditional: false };
    reportSimple(context, location, "ref-target-changed", `${show(previous.target)} → ${show(site.target)}`, NEUTRAL);
  }
}
