/**
 * Emits the zod validator of one (sub)schema: the type-dependent part, then the keywords that
 * apply to every type (`enum`, `const`, `$ref`, `allOf`, `anyOf`, `oneOf`, `not`,
 * `if`/`then`/`else`), then `unevaluatedProperties` / `unevaluatedItems`, which need all the
 * others' annotations (emit-evaluation-plan.ts). Those checks
 * see the input itself: chained onto a validator whose output is its input, otherwise chained
 * onto `z.unknown()` and piped into the typed validator (see preserves-input.ts). A pipe stops at
 * its first failing stage, so such a value reports the issues of that stage only.
 *
 * `default` is an annotation: validators never fill it in, so what is stored is what was sent.
 */
import type { ts } from "ts-morph";

import { unsupportedKeywordMessage } from "../../load/keyword-check.js";
import type { JsonSchema, JsonSchemaObject } from "../../model/catalog-model.js";
import { SUPPORTED_KEYWORDS } from "../../model/supported-keywords.js";
import type { EmitContext } from "./emit-context.js";
import { childPointer, useHelper } from "./emit-context.js";
import { evaluationPlan } from "./emit-evaluation-plan.js";
import { typeSchema } from "./emit-type-branches.js";
import { valueConstraints } from "./emit-values.js";
import { schemaKeyword, schemaListKeyword } from "./json-guards.js";
import { preservesInput } from "./preserves-input.js";
import { resolveLocalRef } from "./resolve-local-ref.js";
import { array, call, id, invoke, json, str, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** A `.refine(...)` / `.superRefine(...)` call to chain. */
interface Check {
  readonly method: "refine" | "superRefine";
  readonly args: readonly ts.Expression[];
}

function checkKeywords(schema: JsonSchemaObject, pointer: string): void {
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) throw new ZodEmitError("unsupported-keyword", pointer, unsupportedKeywordMessage(keyword, pointer));
  }
}

/** The schemas `$ref` and `allOf` add, each with its JSON Schema (for preservesInput). */
function conjuncts(schema: JsonSchemaObject, pointer: string, context: EmitContext): [JsonSchema, ts.Expression][] {
  const found: [JsonSchema, ts.Expression][] = [];
  const ref = schema["$ref"];
  if (ref !== undefined) {
    if (typeof ref !== "string") throw new ZodEmitError("invalid-keyword-value", pointer, `"$ref" must be a string`);
    if (context.nestedResource) throw new ZodEmitError("ref-outside-document", pointer, `$ref inside an embedded resource ($id below the root) is not supported`);
    const target = resolveLocalRef(context.root, ref, pointer);
    if (context.refStack.includes(target.pointer)) {
      throw new ZodEmitError("circular-ref", pointer, `$ref ${JSON.stringify(ref)} leads back to itself; recursive schemas are not supported`);
    }
    found.push([target.schema, context.emit(target.schema, target.pointer, { ...context, refStack: [...context.refStack, target.pointer] })]);
  }
  (schemaListKeyword(schema, "allOf", pointer) ?? []).forEach((sub, index) => found.push([sub, context.emit(sub, childPointer(pointer, "allOf", index), context)]));
  return found;
}

/** `if`/`then`/`else`: without `then` and `else`, `if` only annotates; `then`/`else` without `if` do nothing. */
function conditional(schema: JsonSchemaObject, pointer: string, context: EmitContext): Check[] {
  const condition = schemaKeyword(schema, "if", pointer);
  const branches = (["then", "else"] as const).map((keyword) => {
    const branch = schemaKeyword(schema, keyword, pointer);
    return branch === undefined ? undefined : context.emit(branch, childPointer(pointer, keyword), context);
  });
  if (condition === undefined || branches.every((branch) => branch === undefined)) return [];
  const args = [context.emit(condition, childPointer(pointer, "if"), context), ...branches.map((branch) => branch ?? id("undefined"))];
  return [{ method: "superRefine", args: [invoke(useHelper(context, "ifThenElse"), ...args)] }];
}

/** `unevaluatedProperties` and `unevaluatedItems`, each with the plan of what the rest evaluates. */
function unevaluated(schema: JsonSchemaObject, pointer: string, context: EmitContext): Check[] {
  const checks: Check[] = [];
  for (const [keyword, kind] of [["unevaluatedProperties", "properties"], ["unevaluatedItems", "items"]] as const) {
    const rest = schemaKeyword(schema, keyword, pointer);
    if (rest === undefined || rest === true) continue;
    const restSchema = rest === false ? json(false) : context.emit(rest, childPointer(pointer, keyword), context);
    checks.push({ method: "superRefine", args: [invoke(useHelper(context, keyword), evaluationPlan(schema, pointer, context, kind), restSchema)] });
  }
  return checks;
}

function union(schemas: readonly ts.Expression[]): ts.Expression {
  const [only] = schemas;
  if (only === undefined) return zod("never");
  return schemas.length === 1 ? only : zod("union", array(schemas));
}

const ASCII_FORMATS = new Set(["uuid", "date-time", "date", "time", "duration"]);

const PRIMITIVE_STORABLE_CHECKS: Readonly<Record<string, readonly [string, string] | null>> = {
  string: ["isStorableText", "Must not contain U+0000 or an unpaired surrogate (PostgreSQL cannot store them)"],
  number: ["isStorableNumber", "Must be within ±(2^53−1) to be stored exactly; send larger integers as decimal strings"],
  integer: ["isStorableNumber", "Must be within ±(2^53−1) to be stored exactly; send larger integers as decimal strings"],
  boolean: null,
  null: null,
};

/**
 * The event store's rule on what it can hold, placed where it keeps derived schemas usable: a
 * refine on a string or number, nothing on a closed object or an array of checked items (their
 * parts carry the checks), the deep `storable` check on anything open.
 */
function storableCheck(schema: JsonSchema, context: EmitContext): Check | undefined {
  if (context.storable !== true) return undefined;
  if (typeof schema !== "boolean") {
    const type = schema["type"];
    // Values the schema spells out, or formats whose grammar is ASCII, are storable by construction.
    if (schema["enum"] !== undefined || schema["const"] !== undefined) return undefined;
    if (type === "string" && typeof schema["format"] === "string" && ASCII_FORMATS.has(schema["format"])) return undefined;
    if (typeof type === "string" && type in PRIMITIVE_STORABLE_CHECKS) {
      const check = PRIMITIVE_STORABLE_CHECKS[type];
      return check === null || check === undefined ? undefined : { method: "refine", args: [id(useHelper(context, check[0] as "isStorableText" | "isStorableNumber")), str(check[1])] };
    }
    const closedObject = type === "object" && (schema["additionalProperties"] === false || schema["unevaluatedProperties"] === false);
    const checkedArray = type === "array" && schema["items"] !== undefined && schema["items"] !== true && schema["prefixItems"] === undefined;
    if (closedObject || checkedArray) return undefined;
  }
  return { method: "superRefine", args: [id(useHelper(context, "storable"))] };
}

/** Emits the validator of `schema`, found at `pointer` of the document. */
export function emitSchema(schema: JsonSchema, pointer: string, outer: EmitContext): ts.Expression {
  const storable = storableCheck(schema, outer);
  const expr = emitJsonSchema(schema, pointer, outer);
  return storable === undefined ? expr : call(expr, storable.method, ...storable.args);
}

function emitJsonSchema(schema: JsonSchema, pointer: string, outer: EmitContext): ts.Expression {
  if (schema === true) return zod("unknown");
  if (schema === false) return zod("never");
  checkKeywords(schema, pointer);
  const context: EmitContext = pointer !== "" && "$id" in schema ? { ...outer, nestedResource: true } : outer;
  const emit = (sub: JsonSchema, ...tokens: (string | number)[]): ts.Expression => context.emit(sub, childPointer(pointer, ...tokens), context);

  let base = typeSchema(schema, pointer, context);
  const type = schema["type"];
  let faithful = base === undefined || (type !== undefined && preservesInput({ type }));
  const intersected: ts.Expression[] = [];
  const checks: Check[] = [];

  for (const constraint of valueConstraints(schema, pointer, context)) {
    if (constraint.kind === "check") checks.push({ method: "refine", args: constraint.args });
    else if (base === undefined || constraint.replacesType) [base, faithful] = [constraint.schema, true];
    else intersected.push(constraint.schema);
  }
  const all = conjuncts(schema, pointer, context);
  const first = base === undefined ? all.shift() : undefined;
  if (first !== undefined) [base, faithful] = [first[1], preservesInput(first[0])];
  if (all.length > 0) checks.push({ method: "superRefine", args: [invoke(useHelper(context, "allOf"), array(all.map(([, expr]) => expr)))] });

  const anyOf = schemaListKeyword(schema, "anyOf", pointer);
  if (anyOf !== undefined) {
    const emitted = anyOf.map((sub, index) => emit(sub, "anyOf", index));
    if (base === undefined) [base, faithful] = [union(emitted), anyOf.every(preservesInput)];
    else checks.push({ method: "superRefine", args: [invoke(useHelper(context, "anyOf"), array(emitted))] });
  }
  const oneOf = schemaListKeyword(schema, "oneOf", pointer);
  if (oneOf !== undefined) {
    checks.push({ method: "superRefine", args: [invoke(useHelper(context, "oneOf"), array(oneOf.map((sub, index) => emit(sub, "oneOf", index))))] });
  }
  const not = schemaKeyword(schema, "not", pointer);
  if (not !== undefined) checks.push({ method: "superRefine", args: [invoke(useHelper(context, "not"), emit(not, "not"))] });
  checks.push(...conditional(schema, pointer, context), ...unevaluated(schema, pointer, context));

  const chain = (expr: ts.Expression): ts.Expression => checks.reduce((acc, check) => call(acc, check.method, ...check.args), expr);
  // An intersection with a literal is exact: a literal never accepts an object, so it cannot make
  // zod forgive a strict object's unknown keys (what `.and()` does when the other side has none).
  let expr = intersected.reduce((acc, literal) => call(acc, "and", literal), base ?? zod("unknown"));
  if (checks.length > 0) expr = faithful ? chain(expr) : call(chain(zod("unknown")), "pipe", expr);
  return expr;
}
