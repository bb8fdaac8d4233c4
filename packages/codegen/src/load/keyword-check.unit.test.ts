import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SUPPORTED_FORMATS, SUPPORTED_KEYWORDS } from "../model/supported-keywords.js";
import { findUnsupportedKeywords } from "./keyword-check.js";

describe("findUnsupportedKeywords", () => {
  it("accepts boolean schemas and non-schema values without throwing", () => {
    for (const value of [true, false, null, 5, "x", [], [{ if: 1 }], undefined]) expect(findUnsupportedKeywords(value)).toEqual([]);
  });

  it("refuses unsupported keywords at any depth, with the schema's pointer", () => {
    const found = findUnsupportedKeywords({
      if: { type: "string" },
      then: { $dynamicRef: "#x" },
      properties: { a: { items: { unevaluatedProperties: false } } },
      prefixItems: [true, { dependentSchemas: { x: { not: { contentSchema: {} } } } }],
      $defs: { d: { $anchor: "d" } },
    });
    expect(found.map((f) => [f.pointer, f.keyword])).toEqual([
      ["", "if"],
      ["", "then"],
      ["/then", "$dynamicRef"],
      ["/properties/a/items", "unevaluatedProperties"],
      ["/prefixItems/1", "dependentSchemas"],
      ["/prefixItems/1/dependentSchemas/x/not", "contentSchema"],
      ["/$defs/d", "$anchor"],
    ]);
    expect(found[0]?.message).toBe('unsupported keyword "if" at /: Strata cannot generate validators for it; supported keywords are listed in docs/schema-reference.md');
  });

  it("treats names in properties, patternProperties and $defs as names, and enum/const/default/examples as data", () => {
    expect(
      findUnsupportedKeywords({
        properties: { if: { type: "string" }, then: true },
        patternProperties: { "^else$": { type: "integer" } },
        $defs: { oneOf: { type: "null" } },
        enum: [{ if: 1 }],
        const: { then: 2 },
        default: { else: 3 },
        examples: [{ unevaluatedProperties: 4 }],
      }),
    ).toEqual([]);
  });

  it("refuses formats it cannot assert", () => {
    expect(findUnsupportedKeywords({ properties: { h: { format: "hostname" }, u: { format: "uuid" } } })).toEqual([
      expect.objectContaining({ pointer: "/properties/h", keyword: "format" }),
    ]);
  });

  it("never refuses a schema built only from supported keywords and formats", () => {
    const keyword = fc.constantFrom(...[...SUPPORTED_KEYWORDS].filter((k) => !["properties", "items", "format", "$defs", "allOf"].includes(k)));
    const leaf = fc.dictionary(keyword, fc.constant("x"), { maxKeys: 3 });
    const schema = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
      node: fc.oneof(
        { maxDepth: 3 },
        leaf,
        fc
          .record(
            {
              annotations: leaf,
              properties: fc.dictionary(fc.string(), tie("node"), { maxKeys: 2 }),
              items: tie("node"),
              allOf: fc.array(tie("node"), { maxLength: 2 }),
              format: fc.constantFrom(...SUPPORTED_FORMATS),
            },
            { requiredKeys: [] },
          )
          .map(({ annotations, ...rest }) => ({ ...annotations, ...rest })),
      ),
    })).node;
    fc.assert(fc.property(schema, (s) => findUnsupportedKeywords(s).length === 0));
  });
});
