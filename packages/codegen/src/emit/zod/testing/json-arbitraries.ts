/** fast-check arbitraries of JSON Schemas and JSON data, for the emitter's agreement tests. */
import fc from "fast-check";

import type { JsonSchema, JsonValue } from "../../../model/catalog-model.js";

/** Property names of generated schemas and data (a prototype member and a non-ASCII one included). */
export const key = fc.constantFrom("a", "b", "c", "constructor", "x-y", "é");
/** Data keys: {@link key} plus an own `__proto__`, which schemas never name. */
export const dataKey = fc.oneof(key, fc.constant("__proto__"));
export const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.constantFrom("a", "b", "ab", "💩"));
export const count = fc.integer({ min: 0, max: 3 });

/**
 * Random schemas: objects with a few of `build(sub)`'s keywords each (so nesting stays small),
 * or boolean schemas. `sub` is the arbitrary of nested schemas.
 */
export function schemaArbitrary(build: (sub: fc.Arbitrary<JsonValue>) => Record<string, fc.Arbitrary<JsonValue>>): fc.Arbitrary<JsonSchema> {
  return fc.letrec<{ schema: JsonSchema; object: Record<string, JsonValue> }>((tie) => {
    const keywords = build(tie("schema") as fc.Arbitrary<JsonValue>);
    const entry = fc.oneof(...Object.entries(keywords).map(([name, value]) => value.map((v) => [name, v] as const)));
    return {
      schema: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.boolean(), tie("object")) as fc.Arbitrary<JsonSchema>,
      object: fc.array(entry, { maxLength: 4 }).map((entries) => {
        const object: Record<string, JsonValue> = Object.fromEntries(entries);
        // Ajv accepts `[]` for `{prefixItems: [false], contains: {}}`; 2020-12 says no item matches.
        if ("prefixItems" in object) delete object["contains"];
        return object;
      }),
    };
  }).schema;
}

/** Random JSON data whose object keys come from `keys`; objects are parsed, so `__proto__` is an own key. */
export function dataArbitrary(keys: fc.Arbitrary<string>): fc.Arbitrary<JsonValue> {
  return fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      scalar,
      // Ajv computes multipleOf in floats: wrong beyond 1e21 (parseInt of "1e+21") and for
      // subnormals (5e-324 / 2 underflows to 0). Data stays in between.
      fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((n) => n === 0 || Math.abs(n) > 1e-300),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(keys, tie("value"), { maxKeys: 4 }).map((record) => JSON.parse(JSON.stringify(record)) as JsonValue),
    ),
  })).value;
}
