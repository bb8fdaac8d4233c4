/** Narrowing helpers for reading keyword values of a schema object. */
import type { JsonSchema, JsonSchemaObject, JsonValue } from "../../model/catalog-model.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a schema: a JSON object or a boolean. */
export function isSchema(value: JsonValue | undefined): value is JsonSchema {
  return typeof value === "boolean" || isJsonObject(value);
}

function invalid(pointer: string, keyword: string, expected: string): ZodEmitError {
  return new ZodEmitError("invalid-keyword-value", pointer, `"${keyword}" must be ${expected}`);
}

/** The value of a number keyword, or undefined when absent. */
export function numberKeyword(schema: JsonSchemaObject, keyword: string, pointer: string): number | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw invalid(pointer, keyword, "a number");
  return value;
}

/** The value of a subschema keyword, or undefined when absent. */
export function schemaKeyword(schema: JsonSchemaObject, keyword: string, pointer: string): JsonSchema | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (!isSchema(value)) throw invalid(pointer, keyword, "a schema (object or boolean)");
  return value;
}

/** The value of a subschema-array keyword (`allOf`, `prefixItems`, ...), or undefined when absent. */
export function schemaListKeyword(schema: JsonSchemaObject, keyword: string, pointer: string): JsonSchema[] | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(isSchema)) throw invalid(pointer, keyword, "an array of schemas");
  return value as JsonSchema[];
}

/** The value of a name → subschema keyword (`properties`, ...), as ordered entries. */
export function schemaMapKeyword(schema: JsonSchemaObject, keyword: string, pointer: string): [string, JsonSchema][] {
  const value = schema[keyword];
  if (value === undefined) return [];
  if (!isJsonObject(value) || !Object.values(value).every(isSchema)) throw invalid(pointer, keyword, "an object of schemas");
  return Object.entries(value) as [string, JsonSchema][];
}

/** The value of a string-array keyword (`required`), or an empty list when absent. */
export function stringListKeyword(value: JsonValue | undefined, keyword: string, pointer: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw invalid(pointer, keyword, "an array of strings");
  return value as string[];
}
