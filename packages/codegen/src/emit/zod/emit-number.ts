/** The validator of the numeric values of a schema: integer-ness, bounds and `multipleOf`. */
import { ts } from "ts-morph";

import type { JsonSchemaObject } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { useHelper } from "./emit-context.js";
import { numberKeyword } from "./json-guards.js";
import { arrow, call, id, invoke, num, str, zod } from "./zod-ast.js";

/**
 * `z.int()` only accepts safe integers, while JSON Schema's integers are unbounded (1e308 is
 * one). So `z.int()` is emitted only when the bounds already keep values in the safe range;
 * otherwise `z.number()` with an `Number.isInteger` check.
 */
function isSafeIntegerRange(schema: JsonSchemaObject, pointer: string): boolean {
  const lower = numberKeyword(schema, "minimum", pointer) ?? numberKeyword(schema, "exclusiveMinimum", pointer);
  const upper = numberKeyword(schema, "maximum", pointer) ?? numberKeyword(schema, "exclusiveMaximum", pointer);
  return lower !== undefined && upper !== undefined && lower >= Number.MIN_SAFE_INTEGER && upper <= Number.MAX_SAFE_INTEGER;
}

/** `z.number()` / `z.int()` with the schema's numeric keywords. */
export function numberSchema(schema: JsonSchemaObject, pointer: string, context: EmitContext, integer: boolean): ts.Expression {
  // z.number() refuses NaN and ±Infinity, which JSON cannot carry anyway.
  const safeInteger = integer && isSafeIntegerRange(schema, pointer);
  let expr = safeInteger ? zod("int") : zod("number");
  const bounds = [
    ["minimum", "min"],
    ["exclusiveMinimum", "gt"],
    ["maximum", "max"],
    ["exclusiveMaximum", "lt"],
  ] as const;
  for (const [keyword, method] of bounds) {
    const bound = numberKeyword(schema, keyword, pointer);
    if (bound !== undefined) expr = call(expr, method, num(bound));
  }
  if (integer && !safeInteger) {
    expr = call(expr, "refine", ts.factory.createPropertyAccessExpression(id("Number"), "isInteger"), str("Must be an integer"));
  }
  const step = numberKeyword(schema, "multipleOf", pointer);
  if (step !== undefined) {
    // zod's multipleOf uses a float tolerance; the helper compares exact decimals instead.
    const check = arrow("n", invoke(useHelper(context, "isMultipleOf"), id("n"), num(step)));
    expr = call(expr, "refine", check, str(`Must be a multiple of ${step}`));
  }
  return expr;
}
