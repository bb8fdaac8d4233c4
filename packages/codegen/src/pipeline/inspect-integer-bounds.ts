/**
 * Warns about integer fields without an upper bound in the latest version of each event type.
 * JSON Schema's integers are unbounded, but the event store refuses numbers beyond ±(2^53−1)
 * (a double loses digits there) and a read model's `bigint` column overflows at 2^63: a declared
 * `maximum` says which values the field really takes, and readers can size their columns by it.
 * Only the latest version is inspected, since released versions never change.
 */
import type { CatalogModel, JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import type { CodegenWarning } from "./codegen-result.js";
import { appendPointer } from "../load/json-pointer.js";

// Keywords whose values are data, not subschemas.
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples", "x-pii", "x-rename-from"]);

function isObject(value: JsonValue | undefined): value is JsonSchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function declaresInteger(schema: JsonSchemaObject): boolean {
  const type = schema["type"];
  return type === "integer" || (Array.isArray(type) && type.includes("integer"));
}

/** JSON Pointers of the integer subschemas of `schema` that declare no `maximum` or `exclusiveMaximum`. */
export function unboundedIntegers(schema: JsonValue, pointer = ""): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => unboundedIntegers(item, appendPointer(pointer, String(index))));
  if (!isObject(schema)) return [];
  const found: string[] = [];
  if (declaresInteger(schema) && schema["maximum"] === undefined && schema["exclusiveMaximum"] === undefined) found.push(pointer === "" ? "/" : pointer);
  for (const [keyword, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(keyword)) continue;
    if (keyword === "properties" || keyword === "patternProperties" || keyword === "$defs" || keyword === "dependentSchemas") {
      if (isObject(value)) for (const [name, sub] of Object.entries(value)) found.push(...unboundedIntegers(sub, appendPointer(appendPointer(pointer, keyword), name)));
    } else if (typeof value === "object" && value !== null) {
      found.push(...unboundedIntegers(value, appendPointer(pointer, keyword)));
    }
  }
  return found;
}

/** One warning per latest event version with unbounded integer fields. */
export function inspectIntegerBounds(catalog: CatalogModel, catalogDir: string): CodegenWarning[] {
  const warnings: CodegenWarning[] = [];
  for (const context of catalog.contexts) {
    for (const event of context.events) {
      const latest = event.versions.at(-1);
      if (latest === undefined) continue;
      const pointers = unboundedIntegers(latest.resolved);
      if (pointers.length === 0) continue;
      warnings.push({
        path: catalogDir === "." ? latest.file : `${catalogDir}/${latest.file}`,
        code: "integer-without-maximum",
        message:
          `${event.name} v${latest.version}: integer field(s) ${pointers.join(", ")} declare no "maximum". ` +
          "The store refuses values beyond ±(2^53−1); declare the real bound (or use a decimal string for larger values) in the next version.",
      });
    }
  }
  return warnings;
}
