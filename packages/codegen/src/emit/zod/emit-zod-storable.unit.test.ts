/**
 * Property test: an event validator emitted with `storable: true` and the event store's own check
 * (`findUnstorableValues`, what `append` runs) refuse exactly the same values, over arbitrary
 * Unicode (lone surrogates, U+0000) and arbitrary numbers, in values and in keys.
 */
import { findUnstorableValues } from "@strata/runtime";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { evaluateZod } from "../../../test/conformance/evaluate-zod.js";
import { printZodExpression } from "./emit-zod.js";

const text = fc.oneof(fc.string({ unit: "binary", maxLength: 10 }), fc.string({ unit: fc.constantFrom("\u0000", "\uD800", "\uDFFF", "a", "😀"), maxLength: 5 }));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(2 ** 53 - 1, 2 ** 53, 9007199254740993, 1e20, -1e20));
const key = text.filter((candidate) => candidate !== "__proto__");
const value = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: "small" }, text, number, fc.boolean(), fc.constant(null), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 3 })),
})).node;

describe("storable event validators", () => {
  const open = evaluateZod(printZodExpression({ type: "object" }, { storable: true }));
  const typed = evaluateZod(
    printZodExpression({ type: "object", properties: { name: { type: "string" }, amount: { type: "integer" }, rate: { type: "number" } }, additionalProperties: true }, { storable: true }),
  );

  it("refuse exactly what the event store refuses", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (data) => {
        const storeIssues = findUnstorableValues(data);
        const result = open.safeParse(data);
        expect(result.success).toBe(storeIssues.length === 0);
        if (!result.success) expect(result.error.issues.map((issue) => JSON.stringify(issue.path)).sort()).toEqual(storeIssues.map((issue) => JSON.stringify(issue.path)).sort());
      }),
      { numRuns: 1000 },
    );
  });

  it("refuse unstorable strings and numbers in declared fields too", () => {
    fc.assert(
      fc.property(text, number, number, (name, amount, rate) => {
        const data = { name, amount: Number.isInteger(amount) ? amount : Math.trunc(amount) || 0, rate };
        if (!Number.isFinite(data.amount)) data.amount = 0;
        expect(typed.safeParse(data).success).toBe(findUnstorableValues(data).length === 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("keep closed objects free of refinements, so derived schemas (omit, pick, extend) still work", () => {
    const schema = { type: "object", properties: { id: { type: "string", format: "uuid" }, note: { type: "string" }, cents: { type: "integer", minimum: 0 } }, required: ["id"], additionalProperties: false } as const;
    const validator = evaluateZod(printZodExpression(schema, { storable: true })) as unknown as {
      omit(keys: Record<string, true>): { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } };
    };
    const derived = validator.omit({ id: true });
    expect(derived.safeParse({ note: "fine", cents: 3 }).success).toBe(true);
    const refused = derived.safeParse({ note: "bad\u0000", cents: 1e20 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join("/")).sort()).toEqual(["cents", "note"]);
  });

  it("leave the plain JSON Schema validator as JSON Schema has it", () => {
    expect(evaluateZod(printZodExpression({ type: "object" })).safeParse({ big: 1e20, text: "\u0000" }).success).toBe(true);
    expect(open.safeParse({ big: 1e20 }).success).toBe(false);
  });
});
