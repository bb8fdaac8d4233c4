/**
 * Small `ts.factory` helpers for building zod call chains and JSON literals as AST nodes, so the
 * zod emitter never concatenates code strings.
 */
import { ts } from "ts-morph";

const f = ts.factory;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An identifier, e.g. a helper's name. */
export function id(name: string): ts.Identifier {
  return f.createIdentifier(name);
}

/** `target.method(...args)`. */
export function call(target: ts.Expression, method: string, ...args: ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(f.createPropertyAccessExpression(target, method), undefined, args);
}

/** `z.method(...args)`, or `z.a.b(...)` for a dotted name such as `iso.date`. */
export function zod(method: string, ...args: ts.Expression[]): ts.CallExpression {
  const path = method.split(".");
  const last = path.pop() ?? method;
  const target = path.reduce<ts.Expression>((expr, part) => f.createPropertyAccessExpression(expr, part), id("z"));
  return call(target, last, ...args);
}

/** `fn(...args)`. */
export function invoke(fn: string, ...args: ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(id(fn), undefined, args);
}

/** A string literal. */
export function str(value: string): ts.StringLiteral {
  return f.createStringLiteral(value);
}

/** A number literal; negative numbers become a prefix minus, `-0` stays `-0`. */
export function num(value: number): ts.Expression {
  if (!Number.isFinite(value)) throw new TypeError(`Cannot emit the non-finite number ${value}`);
  if (value < 0 || Object.is(value, -0)) {
    return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(String(-value)));
  }
  return f.createNumericLiteral(String(value));
}

/** An array literal, one element per line when it is long. */
export function array(elements: readonly ts.Expression[]): ts.ArrayLiteralExpression {
  return f.createArrayLiteralExpression(elements, elements.length > 3);
}

/**
 * A property name for an object literal. `__proto__` is emitted computed (`["__proto__"]`):
 * written plainly it would set the literal's prototype instead of creating a property.
 */
export function propertyName(key: string): ts.PropertyName {
  if (key === "__proto__") return f.createComputedPropertyName(str(key));
  return IDENTIFIER.test(key) ? id(key) : str(key);
}

/** An object literal from ordered entries, one property per line unless `multiLine` is false. */
export function object(entries: readonly (readonly [string, ts.Expression])[], multiLine = entries.length > 0): ts.ObjectLiteralExpression {
  return f.createObjectLiteralExpression(
    entries.map(([key, value]) => f.createPropertyAssignment(propertyName(key), value)),
    multiLine,
  );
}

/** A JSON value as a literal expression (key order kept). */
export function json(value: unknown): ts.Expression {
  if (value === null) return f.createNull();
  if (value === true) return f.createTrue();
  if (value === false) return f.createFalse();
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return num(value);
  if (Array.isArray(value)) return f.createArrayLiteralExpression(value.map(json), false);
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return f.createObjectLiteralExpression(
      entries.map(([key, item]) => f.createPropertyAssignment(propertyName(key), json(item))),
      false,
    );
  }
  throw new TypeError(`Cannot emit a ${typeof value} as JSON data`);
}

/** `(param) => body` with one untyped parameter (its type comes from the zod method). */
export function arrow(param: string, body: ts.Expression): ts.ArrowFunction {
  return f.createArrowFunction(
    undefined,
    undefined,
    [f.createParameterDeclaration(undefined, undefined, param)],
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    body,
  );
}

/** `left <op> right`. */
export function binary(left: ts.Expression, op: ts.BinaryOperator, right: ts.Expression): ts.BinaryExpression {
  return f.createBinaryExpression(left, op, right);
}

/** `[...s].length`: the number of Unicode code points of a string. */
export function codePointLength(param: string): ts.Expression {
  return f.createPropertyAccessExpression(f.createArrayLiteralExpression([f.createSpreadElement(id(param))]), "length");
}

/** A regular-expression literal with the `u` flag, from a pattern already checked to compile. */
export function regex(pattern: string): ts.RegularExpressionLiteral {
  // RegExp#source escapes `/` and line terminators, which makes it safe as literal text.
  return f.createRegularExpressionLiteral(`/${new RegExp(pattern, "u").source}/u`);
}
