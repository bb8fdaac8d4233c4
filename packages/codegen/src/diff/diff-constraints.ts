/**
 * Scalar constraints: numeric bounds (inclusive and exclusive forms compared as one bound),
 * lengths and counts, `pattern`, `format`, `multipleOf`, `uniqueItems`.
 */
import type { JsonSchemaObject } from "../model/catalog-model.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { BOTH_BREAKING, NARROWING, WIDENING, reportSimple } from "./diff-context.js";

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

function num(schema: JsonSchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === "number" ? value : undefined;
}

function integerOnly(schema: JsonSchemaObject): boolean {
  const type = schema["type"];
  return type === "integer" || (Array.isArray(type) && type.length > 0 && type.every((t) => t === "integer" || t === "null"));
}

/** The effective lower (`sign` 1) or upper (`sign` -1) bound; for integers `> 0` is `>= 1`. */
function bound(schema: JsonSchemaObject, sign: 1 | -1): Bound | undefined {
  const inclusive = num(schema, sign === 1 ? "minimum" : "maximum");
  const exclusive = num(schema, sign === 1 ? "exclusiveMinimum" : "exclusiveMaximum");
  const integers = integerOnly(schema);
  const candidates: Bound[] = [];
  if (inclusive !== undefined) {
    candidates.push(integers ? { value: sign === 1 ? Math.ceil(inclusive) : Math.floor(inclusive), exclusive: false } : { value: inclusive, exclusive: false });
  }
  if (exclusive !== undefined) {
    candidates.push(
      integers ? { value: sign === 1 ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1, exclusive: false } : { value: exclusive, exclusive: true },
    );
  }
  // The tighter candidate wins: the larger lower bound, the smaller upper bound.
  return candidates.reduce<Bound | undefined>((best, next) => (best === undefined || tighter(next, best, sign) ? next : best), undefined);
}

/** True when bound `a` admits strictly fewer values than bound `b`. */
function tighter(a: Bound, b: Bound, sign: 1 | -1): boolean {
  if (a.value !== b.value) return sign === 1 ? a.value > b.value : a.value < b.value;
  return a.exclusive && !b.exclusive;
}

function showBound(b: Bound | undefined, sign: 1 | -1): string {
  if (b === undefined) return "none";
  return `${sign === 1 ? (b.exclusive ? ">" : ">=") : b.exclusive ? "<" : "<="} ${b.value}`;
}

function diffBounds(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  for (const sign of [1, -1] as const) {
    const before = bound(older, sign);
    const after = bound(newer, sign);
    const name = sign === 1 ? "lower bound" : "upper bound";
    const detail = `${name} ${showBound(before, sign)} → ${showBound(after, sign)}`;
    if (after !== undefined && (before === undefined || tighter(after, before, sign))) {
      reportSimple(context, location, "constraint-tightened", detail, NARROWING);
    } else if (before !== undefined && (after === undefined || tighter(before, after, sign))) {
      reportSimple(context, location, "constraint-loosened", detail, WIDENING);
    }
  }
}

/** Count-like keywords: `[keyword, default when absent, direction]`; direction 1 = a minimum. */
const COUNTS: readonly (readonly [string, number, 1 | -1])[] = [
  ["minLength", 0, 1],
  ["maxLength", Infinity, -1],
  ["minItems", 0, 1],
  ["maxItems", Infinity, -1],
  ["minProperties", 0, 1],
  ["maxProperties", Infinity, -1],
  ["minContains", 1, 1],
  ["maxContains", Infinity, -1],
];

function diffCounts(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  for (const [keyword, absent, direction] of COUNTS) {
    const before = num(older, keyword) ?? absent;
    const after = num(newer, keyword) ?? absent;
    if (before === after) continue;
    const detail = `${keyword} ${num(older, keyword) ?? "none"} → ${num(newer, keyword) ?? "none"}`;
    const narrower = direction === 1 ? after > before : after < before;
    reportSimple(context, location, narrower ? "constraint-tightened" : "constraint-loosened", detail, narrower ? NARROWING : WIDENING);
  }
}

/** `pattern` and `format`: added tightens, removed loosens, changed cannot be ordered. */
function diffOpaque(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  for (const keyword of ["pattern", "format"]) {
    const before = older[keyword];
    const after = newer[keyword];
    if (before === after) continue;
    const detail = `${keyword} ${before === undefined ? "none" : JSON.stringify(before)} → ${after === undefined ? "none" : JSON.stringify(after)}`;
    if (before === undefined) reportSimple(context, location, "constraint-tightened", detail, NARROWING);
    else if (after === undefined) reportSimple(context, location, "constraint-loosened", detail, WIDENING);
    else reportSimple(context, location, "constraint-changed", detail, BOTH_BREAKING);
  }
}

function isMultiple(a: number, b: number): boolean {
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function diffMultipleOf(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = num(older, "multipleOf");
  const after = num(newer, "multipleOf");
  if (before === after) return;
  const detail = `multipleOf ${before ?? "none"} → ${after ?? "none"}`;
  if (after !== undefined && (before === undefined || isMultiple(after, before))) {
    reportSimple(context, location, "constraint-tightened", detail, NARROWING);
  } else if (before !== undefined && (after === undefined || isMultiple(before, after))) {
    reportSimple(context, location, "constraint-loosened", detail, WIDENING);
  } else {
    reportSimple(context, location, "constraint-changed", detail, BOTH_BREAKING);
  }
}

function diffUniqueItems(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = older["uniqueItems"] === true;
  const after = newer["uniqueItems"] === true;
  if (before === after) return;
  const detail = `uniqueItems ${before} → ${after}`;
  reportSimple(context, location, after ? "constraint-tightened" : "constraint-loosened", detail, after ? NARROWING : WIDENING);
}

/** Reports every scalar constraint change of one node. */
export function diffConstraints(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  diffBounds(context, older, newer, location);
  diffCounts(context, older, newer, location);
  diffOpaque(context, older, newer, location);
  diffMultipleOf(context, older, newer, location);
  diffUniqueItems(context, older, newer, location);
}
