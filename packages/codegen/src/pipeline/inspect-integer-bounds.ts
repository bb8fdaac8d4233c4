/**
 * Warns about integer fields without an upper bound in the latest version of each event type.
 * JSON Schema's integers are unbounded, but the event store refuses numbers beyond ±(2^53−1)
 * (a double loses digits there) and a read model's `bigint` column overflows at 2^63: a declared
 * `maximum` says which values the field really takes, and readers can size their columns by it.
 * Only the latest version is inspected, since released versions never change.
 */
import type { CatalogModel, JsonValue } from "../model/catalog-model.js";
import type { CodegenWarning } from "./codegen-result.js";
import { walkSchemas, type SchemaRecord } from "../load/schema-walk.js";

function declaresInteger(schema: SchemaRecord): boolean {
  const type = schema["type"];
  return type === "integer" || (Array.isArray(type) && type.includes("integer"));
}

/** JSON Pointers of the integer subschemas of `schema` that declare no `maximum` or `exclusiveMaximum`. */
export function unboundedIntegers(schema: JsonValue): string[] {
  const found: string[] = [];
  walkSchemas(schema, (node, pointer) => {
    if (typeof node !== "boolean" && declaresInteger(node) && node["maximum"] === undefined && node["exclusiveMaximum"] === undefined) found.push(pointer === "" ? "/" : pointer);
  });
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
