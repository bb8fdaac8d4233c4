/**
 * Arrays and tuples: `A ⊆ B` when A's length range fits B's, the item at every position A
 * allows is accepted by B's schema for that position (each `prefixItems` position, then one
 * position standing for all the rest), `uniqueItems` holds, and B's `contains` with
 * `minContains`/`maxContains` is guaranteed — by A's own `contains` (narrower schema, at least
 * as many, at most as many), or by every item of A matching it.
 */
import { canonicalJson } from "../lock/content-hash.js";
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import type { ArrayView, ContainsRule } from "./array-view.js";
import { arrayView, itemSchema, maxLength } from "./array-view.js";
import { schemasDisjoint } from "./disjoint.js";
import type { Engine } from "./engine.js";
import { allOf } from "./engine.js";
import type { Inclusion } from "./inclusion.js";
import { HOLDS, all, candidate, fails, undecided, within } from "./inclusion.js";
import type { Piece } from "./normal-form.js";
import { expand } from "./normal-form.js";
import { KINDS, finiteValues } from "./schema-node.js";
import type { SchemaNode } from "./schema-node.js";

function seen(items: readonly JsonValue[], value: JsonValue): boolean {
  const key = canonicalJson(value);
  return items.some((item) => canonicalJson(item) === key);
}

/**
 * An array of at least `length` items satisfying the positions of `view`, with `fill` at
 * `index`, and enough items matching each `contains` (placed where a position allows them).
 */
export function exampleArray(engine: Engine, view: ArrayView, length = view.minItems, fill?: { index: number; value: JsonValue }): JsonValue[] | undefined {
  const out: JsonValue[] = [];
  const wanted = view.contains.map((rule) => rule.min);
  const target = Math.max(length, fill === undefined ? 0 : fill.index + 1);
  const limit = target + view.prefixLength + Math.max(0, ...wanted) + 2;
  if (!Number.isFinite(limit) || limit > 100) return undefined;
  for (let index = 0; index < limit && (index < target || wanted.some((count) => count > 0)); index += 1) {
    if (fill?.index === index) {
      out.push(fill.value);
      continue;
    }
    const item = itemSchema(view, index);
    const rule = view.contains.findIndex((_, i) => (wanted[i] ?? 0) > 0);
    const matching = rule < 0 ? undefined : engine.example(allOf([item, (view.contains[rule] as ContainsRule).schema]));
    if (matching !== undefined) wanted[rule] = (wanted[rule] ?? 1) - 1;
    // JSON null is a value: test for `undefined`, never `??`.
    let value = matching !== undefined ? matching : engine.example(item);
    if (view.unique && value !== undefined && seen(out, value)) value = KINDS.map((kind) => engine.example(item, kind)).find((v) => v !== undefined && !seen(out, v));
    if (value === undefined) return out.length >= target ? out : undefined;
    out.push(value);
  }
  return out;
}

/** How many items of an array of `view` (at most `maxA` long) can match `schema`. */
function possibleMatches(view: ArrayView, schema: JsonSchema, maxA: number): number {
  const open = (index: number): boolean => !schemasDisjoint(itemSchema(view, index), schema);
  const prefix = Math.min(maxA, view.prefixLength);
  let possible = 0;
  for (let index = 0; index < prefix; index += 1) if (open(index)) possible += 1;
  // Every position past the prefix has the same schema: all of them can match, or none.
  if (maxA > prefix && open(prefix)) possible += maxA - prefix;
  return possible;
}

/** True when some `contains` of `view` needs more matches than the positions that can match. */
function containsUnreachable(view: ArrayView, maxA: number): boolean {
  return view.contains.some((rule) => {
    if (rule.min > rule.max) return true;
    // Unique items drawn from fewer listed values than needed.
    const listed = expand(rule.schema).map((piece) => finiteValues(piece.members));
    if (view.unique && listed.every((values) => values !== undefined) && listed.reduce((n, values) => n + (values?.length ?? 0), 0) < rule.min) return true;
    return possibleMatches(view, rule.schema, maxA) < rule.min;
  });
}

function containsGuaranteed(engine: Engine, a: ArrayView, rule: ContainsRule, maxA: number): boolean {
  const everyItem = (): boolean => {
    for (let index = 0; index <= Math.min(a.prefixLength, maxA - 1); index += 1) if (!engine.subset(itemSchema(a, index), rule.schema).holds) return false;
    return true;
  };
  const enough = rule.min <= 0 || a.contains.some((own) => own.min >= rule.min && engine.subset(own.schema, rule.schema).holds) || (a.minItems >= rule.min && everyItem());
  const fewEnough =
    rule.max === Infinity ||
    possibleMatches(a, rule.schema, maxA) <= rule.max ||
    a.contains.some((own) => own.max <= rule.max && engine.subset(rule.schema, own.schema).holds);
  return enough && fewEnough;
}

/** `A ⊆ B` for arrays; `aNodes` are the old side's composition nodes. */
export function arrayInclusion(engine: Engine, a: Piece, b: Piece, aNodes: readonly SchemaNode[]): Inclusion {
  const A = arrayView(a.members, aNodes);
  const B = arrayView(b.members, b.members);
  if (B.contains.length > 0 && b.members.some((member) => "unevaluatedItems" in member)) return undecided("unevaluatedItems beside contains in the new schema");
  const maxA = maxLength(A, (schema) => engine.subset(schema, false).holds);
  if (Math.max(A.minItems, ...A.contains.map((rule) => rule.min)) > maxA || containsUnreachable(A, maxA)) return HOLDS;
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
    return all(checks);
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
  return all([lengths, positions, unique, contains]);
}
