import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SUPPORTED_FORMATS, SUPPORTED_KEYWORDS } from "../model/supported-keywords.js";
import { findUnsupportedKeywords, unsupportedKeywordMessage } from "./keyword-check.js";

describe("findUnsupportedKeywords", () => {
  it("accepts boolean schemas and non-schema values without throwing", () => {
    for (const value of [true, false, null, 5, "x", [], [{ if: 1 }], undefined]) expect(findUnsupportedKeywords(value)).toEqual([]);
  });

  it("refuses unsupported keywords at any depth, with the schema's pointer", () => {
    const found = findUnsupportedKeywords({
      if: { type: "string" },
      then: { $dynamicRef: "#x" },
      properties: { a: { items: { unevaluatedProperties: false, definitions: {} } } },
      prefixItems: [true, { dependentSchemas: { x: { not: { contentSchema: {} } } } }],
      $defs: { d: { $anchor: "d", $dynamicAnchor: "d" } },
      dependencies: { a: ["b"] },
    });
    expect(found.map((f) => [f.pointer, f.keyword])).toEqual([
      ["", "dependencies"],
      ["/then", "$dynamicRef"],
      ["/properties/a/items", "definitions"],
      ["/prefixItems/1/dependentSchemas/x/not", "contentSchema"],
      ["/$defs/d", "$dynamicAnchor"],
    ]);
  });

  it("names the keyword, its pointer and what to write instead", () => {
    const messages = findUnsupportedKeywords({
      properties: { x: { $dynamicRef: "#node" }, y: { definitions: {}, dependencies: {} } },
      "my keyword": 1,
      "x-owner": "team",
    }).map((f) => f.message);
    expect(messages).toEqual([
      '"my keyword" at / is not supported; remove it, or move the note into description or $comment (vendor keywords other than x-pii, x-data-subject and x-renamed-from are refused too)',
      "x-owner at / is not supported; remove it, or move the note into description or $comment (vendor keywords other than x-pii, x-data-subject and x-renamed-from are refused too)",
      "$dynamicRef at /properties/x is not supported; use $ref to a $defs entry",
      "definitions at /properties/y is not supported; use $defs (draft 2020-12)",
      "dependencies at /properties/y is not supported; use dependentRequired for a list of names, or dependentSchemas for a schema",
    ]);
  });

  it("accepts the conditional, dependent, unevaluated and $anchor keywords", () => {
    expect(
      findUnsupportedKeywords({
        if: { properties: { kind: { const: "a" } } },
        then: { required: ["a"] },
        else: { unevaluatedItems: false },
        dependentSchemas: { a: { dependentRequired: { a: ["b"] } } },
        unevaluatedProperties: false,
        $defs: { x: { $anchor: "x" } },
      }),
    ).toEqual([]);
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
      expect.objectContaining({ pointer: "/properties/h", keyword: "format", message: expect.stringMatching(/^format "hostname" at \/properties\/h is not supported: .*; use pattern/) }),
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

describe("a mistyped keyword", () => {
  it("is refused with the keyword it is closest to", () => {
    expect(unsupportedKeywordMessage("x-pi", "/properties/email")).toBe(
      'x-pi at /properties/email is not supported; did you mean "x-pii"? Otherwise remove it, or move the note into description or $comment (vendor keywords other than x-pii, x-data-subject and x-renamed-from are refused too)',
    );
    expect(unsupportedKeywordMessage("requried", "")).toContain('did you mean "required"?');
  });

  it("gets no suggestion when nothing is close", () => {
    expect(unsupportedKeywordMessage("x-internal-note", "")).not.toContain("did you mean");
  });
});
