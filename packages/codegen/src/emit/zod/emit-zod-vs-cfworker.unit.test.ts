/**
 * Property test for the keywords that read other keywords' annotations: for random schemas built
 * around `unevaluatedProperties` / `unevaluatedItems` and every in-place applicator, the emitted
 * zod validator gives the same verdict as @cfworker/json-schema (draft 2020-12), an independent
 * validator that passes the JSON Schema Test Suite's unevaluated groups.
 *
 * Why not Ajv here: Ajv 8 drops the annotations of an always-true `items`/`contains` and of
 * `items` inside `anyOf` for arrays of two or more items (ajv-validator/ajv#1909), and loses an
 * own `__proto__` key in its evaluated-property bookkeeping; these runs found all three.
 */
import { Validator } from "@cfworker/json-schema";
import type { Schema } from "@cfworker/json-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { JsonSchema } from "../../model/catalog-model.js";
import { evaluateZod } from "../../../test/conformance/evaluate-zod.js";
import { printZodExpression } from "./emit-zod.js";
import { count, dataArbitrary, dataKey, key, schemaArbitrary } from "./testing/json-arbitraries.js";

const schema = schemaArbitrary((sub) => {
  const subs = fc.array(sub, { minLength: 1, maxLength: 2 });
  return {
    type: fc.constantFrom("object", "array", "string", "integer"),
    properties: fc.dictionary(key, sub, { maxKeys: 2 }),
    patternProperties: fc.dictionary(fc.constantFrom("^a", "b$"), sub, { maxKeys: 1 }),
    additionalProperties: sub,
    required: fc.uniqueArray(key, { maxLength: 2 }),
    items: sub,
    prefixItems: subs,
    contains: sub,
    minContains: count,
    allOf: subs,
    anyOf: subs,
    oneOf: subs,
    not: sub,
    if: sub,
    then: sub,
    else: sub,
    dependentSchemas: fc.dictionary(key, sub, { maxKeys: 2 }),
    unevaluatedProperties: sub,
    unevaluatedItems: sub,
  };
});

describe("emitted zod validators agree with @cfworker/json-schema on unevaluated*", () => {
  it("on random schemas and data", () => {
    fc.assert(
      fc.property(schema, fc.array(dataArbitrary(dataKey), { minLength: 1, maxLength: 8 }), (generated, values) => {
        const parsed = JSON.parse(JSON.stringify(generated)) as JsonSchema;
        const reference = new Validator(structuredClone(parsed) as Schema | boolean, "2020-12", false);
        const validator = evaluateZod(printZodExpression(parsed));
        for (const value of values) expect(validator.safeParse(value).success, JSON.stringify(value)).toBe(reference.validate(value).valid);
      }),
      { numRuns: 400 },
    );
  });
});
