/**
 * `enum` and `const`. Primitive values become `z.enum([...])` / `z.literal(...)` (JSON equality
 * is `===` for them: 1 and 1.0 are the same number); objects and arrays are compared by value
 * with the `jsonEqual` helper (key order ignored).
 */
import type { ts } from "ts-morph";

import type { JsonSchemaObject, JsonValue } from "../../model/catalog-model.js";
import { ANNOTATION_KEYWORDS, VENDOR_KEYWORDS } from "../../model/supported-keywords.js";
import type { EmitContext } from "./emit-context.js";
import { useHelper } from "./emit-context.js";
import { declaredTypes } from "./emit-type-branches.js";
import { array, arrow, call, id, invoke, json, str, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

type Primitive = null | boolean | number | string;

/** How one `enum`/`const` keyword constrains a value. */
export type ValueConstraint =
  | { readonly kind: "literal"; readonly schema: ts.Expression; readonly replacesType: boolean }
  | { readonly kind: "check"; readonly args: readonly ts.Expression[] };

const NON_VALIDATION: ReadonlySet<string> = new Set([...ANNOTATION_KEYWORDS, ...VENDOR_KEYWORDS]);

function isPrimitive(value: JsonValue): value is Primitive {
  return value === null || typeof value !== "object";
}

function matchesType(value: Primitive, types: readonly string[] | undefined): boolean {
  if (types === undefined) return true;
  const type = value === null ? "null" : typeof value;
  return types.includes(type) || (typeof value === "number" && Number.isInteger(value) && types.includes("integer"));
}

function literalSchema(values: readonly Primitive[]): ts.Expression {
  if (values.length === 0) return zod("never");
  if (values.every((value) => typeof value === "string")) return zod("enum", array(values.map((value) => str(value))));
  const [only] = values;
  return values.length === 1 ? zod("literal", json(only)) : zod("literal", array(values.map(json)));
}

/** True when the schema's only validation keywords are `type` and `keyword`. */
function onlyTypeAnd(schema: JsonSchemaObject, keyword: string): boolean {
  return Object.keys(schema).every((key) => key === "type" || key === keyword || NON_VALIDATION.has(key));
}

/** The constraints of `enum` and `const`, in that order (absent keywords yield nothing). */
export function valueConstraints(schema: JsonSchemaObject, pointer: string, context: EmitContext): ValueConstraint[] {
  const constraints: ValueConstraint[] = [];
  for (const keyword of ["enum", "const"] as const) {
    const raw = schema[keyword];
    if (raw === undefined) continue;
    if (keyword === "enum" && !Array.isArray(raw)) throw new ZodEmitError("invalid-keyword-value", pointer, `"enum" must be an array`);
    const values: readonly JsonValue[] = keyword === "const" || !Array.isArray(raw) ? [raw] : (raw as readonly JsonValue[]);
    if (values.every(isPrimitive)) {
      const types = declaredTypes(schema, pointer);
      // `{type: "string", enum: [...]}` is just `z.enum([...])`: the values already have the type.
      const replacesType = onlyTypeAnd(schema, keyword) && values.every((value) => matchesType(value, types));
      constraints.push({ kind: "literal", schema: literalSchema(values), replacesType });
    } else {
      const check = arrow("v", call(json(values), "some", arrow("e", invoke(useHelper(context, "jsonEqual"), id("v"), id("e")))));
      constraints.push({ kind: "check", args: [check, str(`Must equal ${keyword === "const" ? "the const value" : "one of the enum values"}`)] });
    }
  }
  return constraints;
}
