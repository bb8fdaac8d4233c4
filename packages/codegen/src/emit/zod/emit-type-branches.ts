/**
 * The part of a schema that depends on the value's JSON type. Keywords apply only to values of
 * their own type (`{minimum: 2}` accepts `"a string"`), so a schema without `type` that uses
 * type-specific keywords becomes a union with one branch per JSON type.
 */
import type { ts } from "ts-morph";

import type { JsonSchemaObject } from "../../model/catalog-model.js";
import { arraySchema } from "./emit-array.js";
import type { EmitContext } from "./emit-context.js";
import { numberSchema } from "./emit-number.js";
import { objectSchema } from "./emit-object.js";
import { stringSchema } from "./emit-string.js";
import { constrainsArrays, constrainsNumbers, constrainsObjects, constrainsStrings } from "./keyword-groups.js";
import { array, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

const JSON_TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"] as const;
type JsonType = (typeof JSON_TYPES)[number];

function isJsonType(value: unknown): value is JsonType {
  return (JSON_TYPES as readonly unknown[]).includes(value);
}

/** The types `type` allows, or undefined when absent. `integer` is dropped beside `number`. */
export function declaredTypes(schema: JsonSchemaObject, pointer: string): JsonType[] | undefined {
  const value = schema["type"];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isJsonType)) throw new ZodEmitError("invalid-keyword-value", pointer, `"type" must be a JSON type name or an array of them`);
  const types = [...new Set(list as JsonType[])];
  return types.includes("number") ? types.filter((type) => type !== "integer") : types;
}

function branch(type: JsonType, schema: JsonSchemaObject, pointer: string, context: EmitContext): ts.Expression {
  switch (type) {
    case "object":
      return objectSchema(schema, pointer, context);
    case "array":
      return arraySchema(schema, pointer, context);
    case "string":
      return stringSchema(schema, pointer, context);
    case "number":
      return numberSchema(schema, pointer, context, false);
    case "integer":
      return numberSchema(schema, pointer, context, true);
    case "boolean":
      return zod("boolean");
    case "null":
      return zod("null");
  }
}

/** The type-dependent validator, or undefined when the schema constrains no type at all. */
export function typeSchema(schema: JsonSchemaObject, pointer: string, context: EmitContext): ts.Expression | undefined {
  let types = declaredTypes(schema, pointer);
  if (types === undefined) {
    const constrained = constrainsObjects(schema) || constrainsArrays(schema) || constrainsStrings(schema) || constrainsNumbers(schema);
    if (!constrained) return undefined;
    types = ["object", "array", "string", "number", "boolean", "null"];
  }
  const branches = types.map((type) => branch(type, schema, pointer, context));
  const [only] = branches;
  if (branches.length === 1 && only !== undefined) return only;
  // An empty `type` array allows nothing; z.union([]) would too, but say it plainly.
  if (branches.length === 0) return zod("never");
  return zod("union", array(branches));
}
