/**
 * Property test: for random schemas over Strata's keywords and random JSON data, the emitted zod
 * validator gives the same verdict as Ajv (draft 2020-12). Formats and fractional `multipleOf`
 * are left out: Ajv ignores formats without ajv-formats and compares multipleOf in floats.
 * `unevaluatedProperties` / `unevaluatedItems` are checked against another validator
 * (emit-zod-vs-cfworker.unit.test.ts): Ajv gets some of them wrong.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { JsonSchema, JsonValue } from "../../model/catalog-model.js";
import { evaluateZod } from "../../../test/conformance/evaluate-zod.js";
import { printZodExpression } from "./emit-zod.js";
import { count, dataArbitrary, dataKey, key, scalar, schemaArbitrary } from "./testing/json-arbitraries.js";

const ajv = new Ajv2020({ strict: false, ownProperties: true });

// Data may carry an own `__proto__` key; schemas do not name it, as Ajv mishandles that name in
// `properties` (the conformance suite and unit tests cover it).
const schema = schemaArbitrary((sub) => {
  const subs = fc.array(sub, { minLength: 1, maxLength: 2 });
  return {
    type: fc.oneof(fc.constantFrom("object", "array", "string", "number", "integer", "boolean", "null"), fc.constant(["string", "null"]), fc.constant(["integer", "array"])),
    enum: fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(key, scalar, { maxKeys: 2 })), { minLength: 1, maxLength: 3 }),
    const: scalar,
    properties: fc.dictionary(key, sub, { maxKeys: 2 }),
    required: fc.uniqueArray(key, { maxLength: 2 }),
    additionalProperties: sub,
    patternProperties: fc.dictionary(fc.constantFrom("^a", "b$", "^_", "\\p{L}"), sub, { maxKeys: 2 }),
    propertyNames: fc.constantFrom<JsonValue>({ maxLength: 1 }, { pattern: "^[a-c]" }, false),
    minProperties: count,
    maxProperties: count,
    dependentRequired: fc.dictionary(key, fc.uniqueArray(key, { maxLength: 2 }), { maxKeys: 2 }),
    dependentSchemas: fc.dictionary(key, sub, { maxKeys: 2 }),
    items: sub,
    prefixItems: subs,
    contains: sub,
    minContains: count,
    maxContains: count,
    minItems: count,
    maxItems: count,
    uniqueItems: fc.boolean(),
    minLength: count,
    maxLength: count,
    pattern: fc.constantFrom("^a", "b", "^.$", "\\p{Lu}"),
    minimum: fc.integer({ min: -3, max: 3 }),
    exclusiveMaximum: fc.double({ min: -3, max: 3, noNaN: true }),
    multipleOf: fc.integer({ min: 1, max: 3 }),
    allOf: subs,
    anyOf: subs,
    oneOf: subs,
    not: sub,
    if: sub,
    then: sub,
    else: sub,
    default: scalar,
  };
});

describe("emitted zod validators agree with Ajv", () => {
  it("on random schemas and data", () => {
    fc.assert(
      fc.property(schema, fc.array(dataArbitrary(dataKey), { minLength: 1, maxLength: 8 }), (generated, values) => {
        // Round-trip through JSON, as a schema file would be read (keeps own `__proto__` keys).
        const parsed = JSON.parse(JSON.stringify(generated)) as JsonSchema;
        const validate = ajv.compile(parsed as object | boolean);
        const validator = evaluateZod(printZodExpression(parsed));
        for (const value of values) expect(validator.safeParse(value).success, JSON.stringify(value)).toBe(validate(value));
      }),
      { numRuns: 200 },
    );
  });
});
