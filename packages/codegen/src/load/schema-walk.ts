/**
 * Where JSON Schema 2020-12 nests subschemas. Walkers use these lists so that values of
 * non-schema keywords (`enum`, `const`, `default`, `examples`, ...) are never mistaken for
 * schemas, and keys inside `properties`-like maps are never mistaken for keywords.
 */
import { appendPointer } from "./json-pointer.js";

/** Keywords whose value is one subschema. */
export const SINGLE_SUBSCHEMA_KEYWORDS = [
  "additionalProperties",
  "propertyNames",
  "items",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
] as const;

/** Keywords whose value maps names to subschemas. */
export const MAP_SUBSCHEMA_KEYWORDS = ["properties", "patternProperties", "$defs", "dependentSchemas", "definitions"] as const;

/** Keywords whose value is an array of subschemas. */
export const ARRAY_SUBSCHEMA_KEYWORDS = ["prefixItems", "allOf", "anyOf", "oneOf"] as const;

export type SchemaRecord = Readonly<Record<string, unknown>>;

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is SchemaRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A schema: a JSON object or a boolean. */
export function isSchemaValue(value: unknown): value is SchemaRecord | boolean {
  return typeof value === "boolean" || isRecord(value);
}

/** A direct subschema of a schema object, with the JSON Pointer (relative to the parent) that reaches it. */
export interface ChildSchema {
  readonly keyword: string;
  readonly pointer: string;
  readonly schema: SchemaRecord | boolean;
}

/** The direct subschemas of `schema`, in keyword order. Malformed keyword values are skipped. */
export function childSchemas(schema: SchemaRecord, pointer: string): ChildSchema[] {
  const children: ChildSchema[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if ((SINGLE_SUBSCHEMA_KEYWORDS as readonly string[]).includes(keyword)) {
      if (isSchemaValue(value)) children.push({ keyword, pointer: appendPointer(pointer, keyword), schema: value });
    } else if ((MAP_SUBSCHEMA_KEYWORDS as readonly string[]).includes(keyword)) {
      if (!isRecord(value)) continue;
      for (const [name, child] of Object.entries(value)) {
        if (isSchemaValue(child)) children.push({ keyword, pointer: appendPointer(pointer, keyword, name), schema: child });
      }
    } else if ((ARRAY_SUBSCHEMA_KEYWORDS as readonly string[]).includes(keyword)) {
      if (!Array.isArray(value)) continue;
      value.forEach((child: unknown, index) => {
        if (isSchemaValue(child)) children.push({ keyword, pointer: appendPointer(pointer, keyword, index), schema: child });
      });
    }
  }
  return children;
}

/** Calls `visit` for `schema` and every nested subschema (depth first), with its JSON Pointer. */
export function walkSchemas(
  schema: unknown,
  visit: (schema: SchemaRecord | boolean, pointer: string) => void,
  pointer = "",
): void {
  if (!isSchemaValue(schema)) return;
  visit(schema, pointer);
  if (typeof schema === "boolean") return;
  for (const child of childSchemas(schema, pointer)) walkSchemas(child.schema, visit, child.pointer);
}
