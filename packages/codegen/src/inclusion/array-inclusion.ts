/**
 * Arrays and tuples: `A ⊆ B` when A's length range fits B's, the item at every position A
 * allows is accepted by B's schema for that position (each `prefixItems` position, then one
 * position standing for all the rest), `uniqueItems` holds, and B's `contains` with
 * `minContains`/`maxContains` is guaranteed — by A's own `contains` (narrower schema, at least
 * as many, at most as many), or by every item of A matching it.
 */
import type { JsonValue } from "../model/catalog-model.js";
import type { ArrayView, ContainsRule } from "./array-view.js";
import { arrayView, itemSchema, maxLength } from "./array-view.js";
import type { Engine } from "./engine.js";
import { allOf } from "./engine.js";
import type { Inclusion } from "./inclusion.js";
import { HOLDS, candidate, every, fails, undecided, within } from "./inclusion.js";
import type { Piece } from "./normal-form.js";
import type { SchemaNode } from "./schema-node.js";

/** An array of `length` items satisfying the positions of `view`, with `fill` at `index`. */
export function exampleArray(engine: Engine, view: ArrayView, length = view.minItems, fill?: { index: number; value: JsonValue }): JsonValue[] | undefined {
  const out: JsonValue[] = [];
  const needed = Math.max(length, ...view.contains.map((rule) => rule.min), fill === undefined ? 0 : fill.index + 1);
  if (!Number.isFinite(needed) || needed > 100) return undefined;
  for (let index = 0; index < needed; index += 1) {
    if (fill?.index === index) {
      out.push(fill.value);
      continue;
    }
    const rule = view.contains.find((r) => r.min > index);
    const value = engine.example(rule === undefined ? itemSchema(view, index) : allOf([itemSchema(view, index), rule.schema])) ?? engine.example(itemSchema(view, index));
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

function containsGuaranteed(engine: Engine, a: ArrayView, rule: ContainsRule, maxA: number): boolean {
  if (rule.min === 0 && rule.max === Infinity) return true;
  const everyItem = (): boolean => {
    if (a.minItems < rule.min || maxA > rule.max) return false;
    for (let index = 0; index <= Math.min(a.prefixLength, maxA - 1); index += 1) if (!engine.subset(itemSchema(a, index), rule.schema).holds) return false;
    return true;
  };
  const byOwn = a.contains.some(
    (own) =>
      own.min >= rule.min &&
      engine.subset(own.schema, rule.schema).holds &&
      (rule.max === Infinity || maxA <= rule.max || (own.max <= rule.max && engine.subset(rule.schema, own.schema).holds)),
  );
  return byOwn || everyItem();
}

/** `A ⊆ B` for arrays; `aNodes` are the old side's composition nodes. */
export function arrayInclusion(engine: Engine, a: Piece, b: Piece, aNodes: readonly SchemaNode[]): Inclusion {
  const A = arrayView(a.members, aNodes);
  const B = arrayView(b.members, b.members);
  if (B.contains.length > 0 && b.members.some((member) => "unevaluatedItems" in member)) return undecided("unevaluatedItems beside contains in the new schema");
  const maxA = maxLength(A);
  if (A.minItems > maxA) return HOLDS;
  const maxB = maxLength(B);
  const lengths = (): Inclusion => {
    if (A.minItems >= B.minItems && maxA <= maxB) return HOLDS;
    const short = A.minItems < B.minItems ? exampleArray(engine, A) : undefined;
    const long = maxA > maxB ? exampleArray(engine, A, maxB + 1) : undefined;
    return fails(short === undefined ? "fewer items allowed" : "more items required", [candidate(short), candidate(long)]);
  };
  const positions = (): Inclusion => {
    const last = Math.max(A.prefixLength, B.prefixLength);
    const checks = [];
    for (let index = 0; index <= last && index < maxA; index += 1) {
      checks.push(() =>
        within(engine.subset(itemSchema(A, index), itemSchema(B, index)), String(index), (value) => exampleArray(engine, A, A.minItems, { index, value })),
      );
    }
    return every(checks);
  };
  const unique = (): Inclusion => {
    if (!B.unique || A.unique || maxA < 2) return HOLDS;
    const item = engine.example(allOf([itemSchema(A, 0), itemSchema(A, 1)]));
    const rest = exampleArray(engine, A, A.minItems);
    return fails("items must now be unique", [candidate(item === undefined ? undefined : [item, item, ...(rest ?? []).slice(2)])]);
  };
  const contains = (): Inclusion => {
    const missing = B.contains.find((rule) => !containsGuaranteed(engine, A, rule, maxA));
    if (missing === undefined) return HOLDS;
    const samples: (JsonValue[] | undefined)[] = [exampleArray(engine, A), exampleArray(engine, A, Math.max(A.minItems, 1))];
    // Too many matches: every item matching the new `contains`.
    const many = Math.max(A.minItems, missing.max + 1);
    if (Number.isFinite(many) && many <= maxA && many <= 100) {
      const items = Array.from({ length: many }, (_, index) => engine.example(allOf([itemSchema(A, index), missing.schema])));
      samples.push(items.every((item) => item !== undefined) ? (items as JsonValue[]) : undefined);
    }
    // Items that A's own `contains` accepts and the new one does not.
    for (const own of A.contains) {
      const outside = engine.subset(own.schema, missing.schema);
      if (outside.holds) continue;
      for (const found of outside.candidates.slice(0, 3)) samples.push(Array.from({ length: Math.max(A.minItems, own.min, 1) }, () => found.value));
    }
    return fails("contains/minContains/maxContains no longer guaranteed", samples.map((value) => candidate(value)));
  };
  return every([lengths, positions, unique, contains]);
}
