import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { JsonSchemaObject } from "../model/catalog-model.js";
import { instanceArbitrary } from "../upcasters/testing/instance-arbitrary.js";
import { isValid } from "../upcasters/testing/test-validator.js";
import { diffSchemas } from "./diff-schemas.js";
import { isCompatible } from "./schema-change.js";
import { schemaArbitrary, shuffledKeys } from "./testing/schema-arbitrary.js";

describe("diffSchemas (properties)", () => {
  it("finds no change between a schema and itself", () => {
    fc.assert(
      fc.property(schemaArbitrary, (schema) => {
        expect(diffSchemas(schema, schema)).toEqual([]);
      }),
    );
  });

  it("finds no change between a schema and the same schema with its keys reordered", () => {
    const pair = schemaArbitrary.chain((schema) => fc.tuple(fc.constant(schema), shuffledKeys(schema)));
    fc.assert(
      fc.property(pair, ([schema, shuffled]) => {
        expect(diffSchemas(schema, shuffled as JsonSchemaObject)).toEqual([]);
      }),
    );
  });

  it("classifies the same changes whatever the key order of either schema", () => {
    const shuffledPair = fc
      .tuple(schemaArbitrary, schemaArbitrary)
      .chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), shuffledKeys(a), shuffledKeys(b)));
    fc.assert(
      fc.property(shuffledPair, ([a, b, a2, b2]) => {
        expect(diffSchemas(a2 as JsonSchemaObject, b2 as JsonSchemaObject)).toEqual(diffSchemas(a, b));
      }),
    );
  });

  // Soundness: "compatible" must never be wrong. Undeclared properties are out of scope (Strata's
  // rule treats them as never written), and the instance generator writes only declared ones.
  it("never calls a pair BACKWARD-compatible when an instance of the older schema is invalid under the newer", () => {
    const sample = fc.tuple(schemaArbitrary, schemaArbitrary).chain(([older, newer]) => fc.tuple(fc.constant(older), fc.constant(newer), instanceArbitrary(older)));
    fc.assert(
      fc.property(sample, ([older, newer, instance]) => {
        fc.pre(isValid(older, instance));
        if (isCompatible(diffSchemas(older, newer), "backward")) expect(isValid(newer, instance)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("never calls a pair FORWARD-compatible when an instance of the newer schema is invalid under the older", () => {
    const sample = fc.tuple(schemaArbitrary, schemaArbitrary).chain(([older, newer]) => fc.tuple(fc.constant(older), fc.constant(newer), instanceArbitrary(newer)));
    fc.assert(
      fc.property(sample, ([older, newer, instance]) => {
        fc.pre(isValid(newer, instance));
        if (isCompatible(diffSchemas(older, newer), "forward")) expect(isValid(older, instance)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
