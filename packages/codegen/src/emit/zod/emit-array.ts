/**
 * The validator of the array values of a schema: `prefixItems`/`items` as `z.tuple`/`z.array`,
 * then `minItems`, `maxItems`, `uniqueItems` and `contains` with `minContains`/`maxContains`.
 */
import { ts } from "ts-morph";

import type { JsonSchemaObject } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { childPointer, useHelper } from "./emit-context.js";
import { numberKeyword, schemaKeyword, schemaListKeyword } from "./json-guards.js";
import { preservesInput } from "./preserves-input.js";
import { array, arrow, binary, call, id, invoke, num, str, zod } from "./zod-ast.js";

function itemsSchema(schema: JsonSchemaObject, pointer: string, context: EmitContext): { expr: ts.Expression; isTuple: boolean } {
  const items = schemaKeyword(schema, "items", pointer);
  const prefix = schemaListKeyword(schema, "prefixItems", pointer);
  const rest = items === undefined ? zod("unknown") : context.emit(items, childPointer(pointer, "items"), context);
  if (prefix === undefined || prefix.length === 0) return { expr: zod("array", rest), isTuple: false };
  // JSON Schema lets an array be shorter than prefixItems: every tuple element is optional.
  const elements = prefix.map((item, index) => call(context.emit(item, childPointer(pointer, "prefixItems", index), context), "optional"));
  const args = items === false ? [array(elements)] : [array(elements), rest];
  return { expr: zod("tuple", ...args), isTuple: true };
}

function itemsPreserveInput(schema: JsonSchemaObject, pointer: string): boolean {
  const items = schemaKeyword(schema, "items", pointer);
  const prefix = schemaListKeyword(schema, "prefixItems", pointer) ?? [];
  return (items === undefined || preservesInput(items)) && prefix.every(preservesInput);
}

function lengthBound(expr: ts.Expression, isTuple: boolean, bound: number, min: boolean): ts.Expression {
  // z.array() has native .min()/.max(); z.tuple() does not.
  if (!isTuple) return call(expr, min ? "min" : "max", num(bound));
  const op = min ? ts.SyntaxKind.GreaterThanEqualsToken : ts.SyntaxKind.LessThanEqualsToken;
  const check = arrow("a", binary(ts.factory.createPropertyAccessExpression(id("a"), "length"), op, num(bound)));
  return call(expr, "refine", check, str(`Must have ${min ? "at least" : "at most"} ${bound} items`));
}

/** `z.array(...)` / `z.tuple(...)` with the schema's array keywords. */
export function arraySchema(schema: JsonSchemaObject, pointer: string, context: EmitContext): ts.Expression {
  const items = itemsSchema(schema, pointer, context);
  let expr = items.expr;
  const minItems = numberKeyword(schema, "minItems", pointer);
  if (minItems !== undefined && minItems > 0) expr = lengthBound(expr, items.isTuple, minItems, true);
  const maxItems = numberKeyword(schema, "maxItems", pointer);
  if (maxItems !== undefined) expr = lengthBound(expr, items.isTuple, maxItems, false);
  const checks: ts.Expression[] = [];
  if (schema["uniqueItems"] === true) checks.push(id(useHelper(context, "uniqueItems")));
  const contains = schemaKeyword(schema, "contains", pointer);
  if (contains !== undefined) {
    const min = numberKeyword(schema, "minContains", pointer) ?? 1;
    const max = numberKeyword(schema, "maxContains", pointer);
    const containsSchema = context.emit(contains, childPointer(pointer, "contains"), context);
    checks.push(invoke(useHelper(context, "contains"), containsSchema, num(min), max === undefined ? id("Infinity") : num(max)));
  }
  if (checks.length === 0) return expr;
  // These compare items, so they must see the input items, not zod's rebuilt objects.
  const chain = (base: ts.Expression): ts.Expression => checks.reduce((acc, check) => call(acc, "superRefine", check), base);
  return itemsPreserveInput(schema, pointer) ? chain(expr) : call(chain(zod("unknown")), "pipe", expr);
}
