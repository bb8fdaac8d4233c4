import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import type { JsonSchema } from "../../model/catalog-model.js";
import { evaluateZod } from "../../../test/conformance/evaluate-zod.js";
import { printHelperDeclarations, printZodExpression, printZodParts } from "./emit-zod.js";

/** The validator a module builds from parts: its helpers declared once, then the bare expression. */
const fromParts = (schema: JsonSchema) => {
  const { expression, helpers } = printZodParts(schema, { storable: true });
  return evaluateZod(`(() => {\n${printHelperDeclarations(helpers)}\nreturn ${expression};\n})()`);
};

const SCHEMAS: Record<string, { schema: JsonSchema; values: unknown[] }> = {
  "unique items of objects": {
    schema: { type: "array", items: { type: "object" }, uniqueItems: true },
    values: [[], [{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 1 }], [{ a: [1, 2] }, { a: [1, 2] }], "x"],
  },
  "a decimal multiple": { schema: { type: "number", multipleOf: 0.01 }, values: [0.1, 0.07, 0.075, 19.99, 1e-7] },
  "a date-time": { schema: { type: "string", format: "date-time" }, values: ["2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2016-12-31T23:59:60Z", "nope"] },
  "an open object (storable walk)": {
    schema: { type: "object" },
    values: [{}, { a: "ok" }, { a: "\u0000" }, { "\uD800": 1 }, { n: 2 ** 60 }, { deep: [{ s: "\uDC00x" }] }],
  },
  "oneOf with a not": {
    schema: { oneOf: [{ type: "integer" }, { not: { type: "string" } }] },
    values: [1, 1.5, "s", null],
  },
};

describe("printZodParts", () => {
  for (const [name, { schema, values }] of Object.entries(SCHEMAS)) {
    it(`validates like the self-contained expression: ${name}`, () => {
      const whole = evaluateZod(printZodExpression(schema, { storable: true }));
      const parts = fromParts(schema);
      for (const value of values) expect([value, parts.safeParse(value).success]).toEqual([value, whole.safeParse(value).success]);
    });
  }

  it("names the helpers the expression calls, and leaves their declarations (and what they call) to printHelperDeclarations", () => {
    const { expression, helpers } = printZodParts({ type: "array", uniqueItems: true, items: { type: "string", format: "date-time" } }, { storable: true });
    expect(helpers).toEqual(["uniqueItems", "isDateTime"]);
    expect(expression).not.toContain("const ");
    expect(printZodParts({ type: "boolean" }).helpers).toEqual([]);
    const declared = printHelperDeclarations(helpers, { exported: true });
    expect([...declared.matchAll(/^export const (\w+) =/gm)].map((match) => match[1])).toEqual(["jsonEqual", "uniqueItems", "isFullDate", "isTime", "isDateTime"]);
  });

  it("declares each helper once per generated package: the event modules import them", () => {
    const generated = new URL("../../../../banking-events/src/generated/", import.meta.url);
    const shared = readFileSync(new URL("validation-helpers.gen.ts", generated), "utf8");
    const module = readFileSync(new URL("transfer-initiated.gen.ts", generated), "utf8");
    for (const helper of ["isStorableText", "isStorableNumber", "storable"]) {
      expect(shared.match(new RegExp(`^export const ${helper} =`, "gm"))).toHaveLength(1);
      expect(module).not.toMatch(new RegExp(`const ${helper} =`));
    }
    expect(module).toContain('import { isStorableText, isStorableNumber, storable } from "./validation-helpers.gen.js";');
    expect(module).not.toContain("(() => {");
  });
});
