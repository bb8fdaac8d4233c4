/**
 * Objects: `A ⊆ B` when every property name A allows carries a value B accepts (declared
 * names one by one, every other name by class — name-classes.ts), B's `required`,
 * `dependentRequired` and `dependentSchemas` hold for A's instances, and A's property count
 * fits B's `minProperties`/`maxProperties`. This is where open, closed and partially open
 * content models meet: an `additionalProperties`, a `patternProperties` or a closing
 * `unevaluatedProperties` is just the schema some names must satisfy.
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import type { Engine } from "./engine.js";
import { allOf } from "./engine.js";
import type { Inclusion } from "./inclusion.js";
import { HOLDS, all, candidate, every, fails, undecided, within } from "./inclusion.js";
import { undeclaredRepresentatives } from "./name-classes.js";
import type { Piece } from "./normal-form.js";
import type { ObjectView } from "./object-view.js";
import { declaredNames, objectView, patternsOf, propertySchema } from "./object-view.js";
import type { SchemaNode } from "./schema-node.js";

type JsonObject = Record<string, JsonValue>;

/** An object satisfying `view` (required names, dependencies, `minProperties`), if easy to build. */
export function exampleObject(engine: Engine, view: ObjectView, extra: readonly string[] = []): JsonObject | undefined {
  const out: JsonObject = {};
  const pending = [...view.required, ...extra];
  const optional = [...declaredNames(view)].filter((name) => !view.required.has(name)).sort();
  while (pending.length > 0 || (Object.keys(out).length < view.minProperties && optional.length > 0)) {
    const name = pending.shift() ?? optional.shift();
    if (name === undefined || name in out) continue;
    const value = engine.example(propertySchema(view, name));
    if (value === undefined) return undefined;
    out[name] = value;
    pending.push(...(view.dependentRequired.get(name) ?? []));
  }
  return out;
}

function without(value: JsonObject | undefined, name: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  const { [name]: _dropped, ...rest } = value;
  return rest;
}

/** `count` distinct names `view` allows: declared ones first, then variations of the open classes' names. */
function namesFor(view: ObjectView, allowed: readonly string[], representatives: readonly string[], count: number): string[] {
  const names = [...allowed];
  for (let suffix = 1; names.length < count && suffix <= count; suffix += 1) {
    for (const name of representatives) {
      const variant = `${name}${suffix}`;
      if (!names.includes(variant) && propertySchema(view, variant) !== false) names.push(variant);
    }
  }
  return names.slice(0, count);
}

/** `A ⊆ B` for objects; `aNodes` are the old side's composition nodes, `aSchema` the old schema here. */
export function objectInclusion(engine: Engine, a: Piece, b: Piece, aNodes: readonly SchemaNode[], aSchema: JsonSchema): Inclusion {
  const A = objectView(a.members, aNodes, false);
  const B = objectView(b.members, b.members);
  let cached: JsonObject | undefined | null = null;
  const base = (): JsonObject | undefined => (cached === null ? (cached = exampleObject(engine, A)) : cached);
  // The witness object: A's example with `name` present (and what `name` requires), set to `value`.
  const put = (name: string) => (value: JsonValue): JsonValue => ({ ...(exampleObject(engine, A, [name]) ?? base() ?? {}), [name]: value });

  const declared = new Set([...declaredNames(A), ...declaredNames(B), ...A.required, ...B.required, ...B.dependentRequired.keys(), ...B.dependentSchemas.map(([name]) => name)]);
  const representatives = undeclaredRepresentatives(declared, [...patternsOf(A), ...patternsOf(B)], [...A.propertyNames, ...B.propertyNames]);
  if (representatives === undefined) return undecided("patternProperties or propertyNames that the engine cannot analyse");
  const names = [...[...declared].sort(), ...representatives];
  const allowed = names.filter((name) => propertySchema(A, name) !== false);
  // A name A requires and cannot hold: A has no objects at all.
  if ([...A.required].some((name) => engine.subset(propertySchema(A, name), false).holds)) return HOLDS;

  const required = (): Inclusion => {
    const missing = [...B.required].find((name) => !A.required.has(name));
    if (missing === undefined) return HOLDS;
    return fails(`property "${missing}" is now required`, [candidate(without(base(), missing))]);
  };
  const values = (): Inclusion =>
    all(allowed.filter(() => maxA > 0).map((name) => () => within(engine.subset(propertySchema(A, name), propertySchema(B, name)), name, put(name))));
  const minA = Math.max(A.minProperties, A.required.size);
  const closed = representatives.every((name) => propertySchema(A, name) === false);
  const maxA = Math.min(A.maxProperties, closed ? allowed.length : Infinity);
  if (minA > maxA) return HOLDS;
  const counts = (): Inclusion => {
    if (minA >= B.minProperties && maxA <= B.maxProperties) return HOLDS;
    const few = minA < B.minProperties ? base() : undefined;
    const many = maxA > B.maxProperties ? exampleObject(engine, A, namesFor(A, allowed, representatives, B.maxProperties + 1)) : undefined;
    return fails(few === undefined ? "fewer properties allowed" : "more properties required", [candidate(few), candidate(many)]);
  };
  const dependencies = (): Inclusion => {
    const checks: (() => Inclusion)[] = [];
    for (const [trigger, needed] of B.dependentRequired) {
      if (propertySchema(A, trigger) === false || maxA === 0) continue;
      for (const name of needed) {
        if (A.required.has(name) || A.dependentRequired.get(trigger)?.has(name) === true) continue;
        checks.push(() => fails(`"${name}" is now required with "${trigger}"`, [candidate(without(exampleObject(engine, A, [trigger]), name))]));
      }
    }
    for (const [trigger, schema] of B.dependentSchemas) {
      if (propertySchema(A, trigger) === false || maxA === 0) continue;
      checks.push(() => engine.subset(allOf([aSchema, { required: [trigger] }]), schema));
    }
    return every(checks);
  };
  return all([required, values, counts, dependencies]);
}
