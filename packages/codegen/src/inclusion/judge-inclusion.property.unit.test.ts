import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { JsonSchema, JsonSchemaObject, JsonValue } from "../model/catalog-model.js";
import { isValid } from "../upcasters/testing/test-validator.js";
import { judgeInclusion } from "./judge-inclusion.js";
import { accepts } from "./oracle.js";
import { UNDECIDABLE_REASONS } from "./undecidable.js";
import { schemaNodeArbitrary, valueArbitrary } from "./testing/schema-pair-arbitrary.js";

// ajv 2020-12 is the independent validator here; the engine confirms witnesses with @cfworker.
const valid = (schema: JsonSchema, value: JsonValue): boolean => isValid((typeof schema === "boolean" ? (schema ? {} : { not: {} }) : schema) as JsonSchemaObject, value);
// ajv 8 gets a few `not` + `contains`/`items` combinations wrong (`{not: {type: "array", items: …,
// contains: …}}` rejects []); where the two validators disagree the value proves nothing.
const agreed = (schema: JsonSchema, value: JsonValue): boolean => valid(schema, value) === accepts(schema, value);

const pairs = fc.tuple(schemaNodeArbitrary, schemaNodeArbitrary, fc.array(valueArbitrary, { minLength: 20, maxLength: 20 }));

describe("judgeInclusion (soundness)", () => {
  it("compatible ⇒ every instance of the old schema validates under the new; breaking ⇒ a witness old accepts and new rejects", () => {
    fc.assert(
      fc.property(pairs, ([older, newer, values]) => {
        const verdict = judgeInclusion(older, newer);
        if (verdict.verdict === "compatible") {
          for (const value of values) {
            if (agreed(older, value) && agreed(newer, value) && valid(older, value)) expect(valid(newer, value), JSON.stringify(value)).toBe(true);
          }
        } else if (verdict.verdict === "breaking") {
          if (!agreed(older, verdict.witness.instance) || !agreed(newer, verdict.witness.instance)) return;
          expect(valid(older, verdict.witness.instance)).toBe(true);
          expect(valid(newer, verdict.witness.instance)).toBe(false);
        } else {
          // Undecided only for the change kinds documented as undecidable.
          expect(UNDECIDABLE_REASONS.some((reason) => verdict.reason.includes(reason)), verdict.reason).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("leaves fewer than 2% of random pairs without a verdict for lack of a witness (fixed seed)", () => {
    const sample = fc.sample(fc.tuple(schemaNodeArbitrary, schemaNodeArbitrary), { numRuns: 400, seed: 14 });
    const unconfirmed = sample.filter(([older, newer]) => {
      const verdict = judgeInclusion(older, newer);
      return verdict.verdict === "undecidable" && verdict.reason.startsWith("no instance confirmed the break");
    });
    expect(unconfirmed.length).toBeLessThan(8);
  });

  it("a schema is compatible with itself, both ways", () => {
    fc.assert(
      fc.property(schemaNodeArbitrary, (schema) => {
        expect(judgeInclusion(schema, structuredClone(schema)).verdict).toBe("compatible");
      }),
      { numRuns: 100 },
    );
  });

  it("every schema is compatible with true and false with every schema", () => {
    fc.assert(
      fc.property(schemaNodeArbitrary, (schema) => {
        expect(judgeInclusion(schema, true).verdict).toBe("compatible");
        expect(judgeInclusion(false, schema).verdict).toBe("compatible");
      }),
      { numRuns: 100 },
    );
  });
});
