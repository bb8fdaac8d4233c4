/**
 * Test support: random schema pairs over the keywords the inclusion engine reasons about —
 * content models (`additionalProperties`, `patternProperties`, `propertyNames`, closing
 * `unevaluatedProperties`), combinators (`anyOf`, `oneOf`, `allOf`, `not`), arrays and tuples
 * (`prefixItems`, `items`, `contains`, `minContains`, `maxContains`), bounds, patterns, enums —
 * drawn from a small vocabulary so that two independent draws are often related. Plus a JSON
 * value arbitrary over the same vocabulary, so that random values often hit both schemas.
 */
import fc from "fast-check";

import type { JsonSchemaObject, JsonValue } from "../../model/catalog-model.js";

const NAMES = ["a", "b", "x_1"] as const;
const PATTERNS = ["^a", "^x_", "^[a-b]$", "1$"] as const;
const STRINGS = ["", "a", "ab", "x_1", "b", "1"] as const;

type Schema = JsonSchemaObject | boolean;

const scalar: fc.Arbitrary<Schema> = fc.oneof(
  fc.record({ type: fc.constantFrom("integer", "number"), minimum: fc.integer({ min: -2, max: 2 }), maximum: fc.integer({ min: 1, max: 4 }), multipleOf: fc.constantFrom(1, 2, 0.5) }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("string"), minLength: fc.integer({ min: 0, max: 2 }), maxLength: fc.integer({ min: 1, max: 3 }), pattern: fc.constantFrom(...PATTERNS) }, { requiredKeys: ["type"] }),
  fc.record({ enum: fc.uniqueArray(fc.constantFrom<JsonValue>(...STRINGS, 0, 1, null, true), { minLength: 1, maxLength: 3 }) }),
  fc.record({ const: fc.constantFrom<JsonValue>("a", 1, null) }),
  fc.constantFrom<Schema>({ type: "boolean" }, { type: ["string", "null"] }, { type: "string" }, { type: "integer" }, { type: "number" }, true, false),
);

/** Random schemas (depth-limited), as the old or the new version of a field or an event. */
export const schemaNodeArbitrary: fc.Arbitrary<Schema> = fc.letrec<{ node: Schema; object: Schema; array: Schema; combinator: Schema }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true, maxDepth: 3 }, scalar, tie("object"), tie("array"), tie("combinator")),
  object: fc
    .record(
      {
        properties: fc.dictionary(fc.constantFrom(...NAMES), tie("node"), { maxKeys: 2 }),
        required: fc.subarray([...NAMES], { maxLength: 2 }),
        additionalProperties: fc.oneof(fc.constant(false), scalar),
        patternProperties: fc.dictionary(fc.constantFrom(...PATTERNS), scalar, { maxKeys: 1 }),
        propertyNames: fc.constantFrom<Schema>({ maxLength: 2 }, { pattern: "^[a-z_0-9]+$" }, { enum: ["a", "b"] }),
        maxProperties: fc.integer({ min: 0, max: 2 }),
        dependentRequired: fc.constant({ a: ["b"] }),
      },
      { requiredKeys: [] },
    )
    .map((object) => ({ type: "object", ...object })),
  array: fc
    .record(
      {
        prefixItems: fc.array(tie("node"), { minLength: 1, maxLength: 2 }),
        items: fc.oneof(fc.constant(false), tie("node")),
        contains: scalar,
        minContains: fc.integer({ min: 0, max: 2 }),
        maxContains: fc.integer({ min: 1, max: 2 }),
        minItems: fc.integer({ min: 0, max: 2 }),
        maxItems: fc.integer({ min: 1, max: 3 }),
        uniqueItems: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((array) => ({ type: "array", ...array })),
  combinator: fc.oneof(
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((anyOf) => ({ anyOf })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((oneOf) => ({ oneOf })),
    fc.array(tie("node"), { minLength: 1, maxLength: 2 }).map((allOf) => ({ allOf })),
    tie("node").map((not) => ({ not })),
    fc.tuple(fc.dictionary(fc.constantFrom(...NAMES), scalar, { minKeys: 1, maxKeys: 2 }), fc.dictionary(fc.constantFrom(...NAMES), scalar, { maxKeys: 1 })).map(([first, second]) => ({
      allOf: [{ properties: first }],
      properties: second,
      unevaluatedProperties: false,
    })),
  ),
})).node;

/** Small JSON values over the schemas' vocabulary. */
export const valueArbitrary: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    fc.constantFrom<JsonValue>(...STRINGS, 0, 1, 2, 3, -1, 0.5, 1.5, 5, null, true, false),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NAMES, "c", "ab"), tie("value"), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value;
