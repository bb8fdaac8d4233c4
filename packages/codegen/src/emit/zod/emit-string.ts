/** The validator of the string values of a schema: `format`, `pattern`, `minLength`, `maxLength`. */
import { ts } from "ts-morph";

import type { JsonSchemaObject } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { formatSchema } from "./emit-format.js";
import { numberKeyword } from "./json-guards.js";
import { arrow, binary, call, codePointLength, num, regex, str, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** Throws unless `pattern` compiles as an ECMA-262 regular expression with the `u` flag. */
export function compilePattern(pattern: string, pointer: string): void {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    throw new ZodEmitError("invalid-pattern", pointer, `"pattern" ${JSON.stringify(pattern)} is not an ECMA-262 regular expression (with the u flag)`, { cause: error });
  }
}

const characters = (n: number): string => `${n} character${n === 1 ? "" : "s"}`;

/**
 * zod's `.min()`/`.max()` count UTF-16 code units; JSON Schema counts code points, so lengths are
 * checked on `[...s].length`. `minLength: 1` is the exception: a string has at least one code
 * point exactly when it has at least one code unit, so it stays `.min(1)`.
 */
function withLength(base: ts.Expression, min: number | undefined, max: number | undefined): ts.Expression {
  const expr = min === 1 ? call(base, "min", num(1)) : base;
  const lower = min !== undefined && min > 1 ? min : undefined;
  const bounds: ts.Expression[] = [];
  if (lower !== undefined) bounds.push(binary(codePointLength("s"), ts.SyntaxKind.GreaterThanEqualsToken, num(lower)));
  if (max !== undefined) bounds.push(binary(codePointLength("s"), ts.SyntaxKind.LessThanEqualsToken, num(max)));
  const [first, second] = bounds;
  if (first === undefined) return expr;
  const check = second === undefined ? first : binary(first, ts.SyntaxKind.AmpersandAmpersandToken, second);
  const message =
    lower !== undefined && max !== undefined
      ? `Must have between ${lower} and ${characters(max)}`
      : lower !== undefined
        ? `Must have at least ${characters(lower)}`
        : `Must have at most ${characters(max ?? 0)}`;
  return call(expr, "refine", arrow("s", check), str(message));
}

/** `z.string()` (or a format schema) with the schema's string keywords. */
export function stringSchema(schema: JsonSchemaObject, pointer: string, context: EmitContext): ts.Expression {
  const format = schema["format"];
  if (format !== undefined && typeof format !== "string") throw new ZodEmitError("invalid-keyword-value", pointer, `"format" must be a string`);
  let expr = format === undefined ? zod("string") : formatSchema(format, pointer, context);
  const pattern = schema["pattern"];
  if (pattern !== undefined) {
    if (typeof pattern !== "string") throw new ZodEmitError("invalid-keyword-value", pointer, `"pattern" must be a string`);
    compilePattern(pattern, pointer);
    expr = call(expr, "regex", regex(pattern), str(`Must match the pattern ${pattern}`));
  }
  return withLength(expr, numberKeyword(schema, "minLength", pointer), numberKeyword(schema, "maxLength", pointer));
}
