/**
 * Builds the `Evaluation` plan of `unevaluatedProperties` / `unevaluatedItems` (see
 * annotation-helpers.ts): what the schema's adjacent keywords and in-place subschemas
 * (`$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas`) annotate. `not`
 * never contributes: its subschema's annotations are dropped whether it passes or fails.
 * Plans are pruned, so a branch that can annotate nothing is not re-validated at run time.
 */
import type { ts } from "ts-morph";

import type { JsonSchema } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { childPointer } from "./emit-context.js";
import { compilePattern } from "./emit-string.js";
import { schemaKeyword, schemaListKeyword, schemaMapKeyword } from "./json-guards.js";
import { resolveLocalRef } from "./resolve-local-ref.js";
import { array, json, num, object, regex, str } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** Which annotations a plan collects. */
export type EvaluationKind = "properties" | "items";

interface Plan {
  all: boolean;
  names: string[];
  patterns: string[];
  prefix: number;
  contains: ts.Expression[];
  when: [ts.Expression, Plan][];
  conditionals: [ts.Expression, Plan, Plan, Plan][];
  dependentSchemas: [string, Plan][];
}

const emptyPlan = (): Plan => ({ all: false, names: [], patterns: [], prefix: 0, contains: [], when: [], conditionals: [], dependentSchemas: [] });

const isEmpty = (plan: Plan): boolean =>
  !plan.all && plan.names.length + plan.patterns.length + plan.prefix + plan.contains.length + plan.when.length + plan.conditionals.length + plan.dependentSchemas.length === 0;

function merge(into: Plan, from: Plan): void {
  into.all ||= from.all;
  into.names.push(...from.names.filter((name) => !into.names.includes(name)));
  into.patterns.push(...from.patterns.filter((pattern) => !into.patterns.includes(pattern)));
  into.prefix = Math.max(into.prefix, from.prefix);
  into.contains.push(...from.contains);
  into.when.push(...from.when);
  into.conditionals.push(...from.conditionals);
  into.dependentSchemas.push(...from.dependentSchemas);
}

/**
 * The plan of `schema` at `pointer`. `own` is true for the schema that carries the
 * `unevaluated*` keyword itself: its own `unevaluated*` is what the plan is for, while a nested
 * one (like `additionalProperties` or `items`) evaluates everything once its schema validates.
 */
function planOf(schema: JsonSchema, pointer: string, context: EmitContext, kind: EvaluationKind, own: boolean): Plan {
  const plan = emptyPlan();
  if (typeof schema === "boolean") return plan;
  const at = (...tokens: (string | number)[]): string => childPointer(pointer, ...tokens);
  const sub = (child: JsonSchema, childAt: string): Plan => planOf(child, childAt, context, kind, false);
  if (kind === "properties") {
    if ("additionalProperties" in schema || (!own && "unevaluatedProperties" in schema)) return { ...plan, all: true };
    plan.names = schemaMapKeyword(schema, "properties", pointer).map(([name]) => name);
    plan.patterns = schemaMapKeyword(schema, "patternProperties", pointer).map(([pattern]) => pattern);
    plan.patterns.forEach((pattern) => compilePattern(pattern, at("patternProperties", pattern)));
  } else {
    if ("items" in schema || (!own && "unevaluatedItems" in schema)) return { ...plan, all: true };
    plan.prefix = schemaListKeyword(schema, "prefixItems", pointer)?.length ?? 0;
    const contains = schemaKeyword(schema, "contains", pointer);
    if (contains !== undefined) plan.contains.push(context.emit(contains, at("contains"), context));
  }
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    const target = resolveLocalRef(context.root, ref, pointer);
    if (context.refStack.includes(target.pointer)) {
      throw new ZodEmitError("circular-ref", pointer, `$ref ${JSON.stringify(ref)} leads back to itself; recursive schemas are not supported`);
    }
    merge(plan, planOf(target.schema, target.pointer, { ...context, refStack: [...context.refStack, target.pointer] }, kind, false));
  }
  (schemaListKeyword(schema, "allOf", pointer) ?? []).forEach((branch, index) => merge(plan, sub(branch, at("allOf", index))));
  for (const keyword of ["anyOf", "oneOf"] as const) {
    (schemaListKeyword(schema, keyword, pointer) ?? []).forEach((branch, index) => {
      const branchPlan = sub(branch, at(keyword, index));
      if (!isEmpty(branchPlan)) plan.when.push([context.emit(branch, at(keyword, index), context), branchPlan]);
    });
  }
  const condition = schemaKeyword(schema, "if", pointer);
  if (condition !== undefined) {
    const branchPlan = (keyword: "then" | "else"): Plan => {
      const branch = schemaKeyword(schema, keyword, pointer);
      return branch === undefined ? emptyPlan() : sub(branch, at(keyword));
    };
    const plans = [sub(condition, at("if")), branchPlan("then"), branchPlan("else")] as const;
    if (!plans.every(isEmpty)) plan.conditionals.push([context.emit(condition, at("if"), context), ...plans]);
  }
  // dependentSchemas apply to objects only, so they never annotate array items.
  if (kind === "properties") {
    for (const [name, branch] of schemaMapKeyword(schema, "dependentSchemas", pointer)) {
      const branchPlan = sub(branch, at("dependentSchemas", name));
      if (!isEmpty(branchPlan)) plan.dependentSchemas.push([name, branchPlan]);
    }
  }
  return plan;
}

function planLiteral(plan: Plan): ts.Expression {
  if (plan.all) return object([["all", json(true)]], false);
  const entries: [string, ts.Expression][] = [];
  if (plan.names.length > 0) entries.push(["names", array(plan.names.map(str))]);
  if (plan.patterns.length > 0) entries.push(["patterns", array(plan.patterns.map(regex))]);
  if (plan.prefix > 0) entries.push(["prefix", num(plan.prefix)]);
  if (plan.contains.length > 0) entries.push(["contains", array(plan.contains)]);
  if (plan.when.length > 0) entries.push(["when", array(plan.when.map(([schema, branch]) => array([schema, planLiteral(branch)])))]);
  if (plan.conditionals.length > 0) {
    entries.push(["conditionals", array(plan.conditionals.map(([condition, ...plans]) => array([condition, ...plans.map(planLiteral)])))]);
  }
  if (plan.dependentSchemas.length > 0) {
    entries.push(["dependentSchemas", array(plan.dependentSchemas.map(([name, branch]) => array([str(name), planLiteral(branch)])))]);
  }
  return object(entries);
}

/** The `Evaluation` literal for the `unevaluated*` keyword of `kind` on `schema`. */
export function evaluationPlan(schema: JsonSchema, pointer: string, context: EmitContext, kind: EvaluationKind): ts.Expression {
  return planLiteral(planOf(schema, pointer, context, kind, true));
}
