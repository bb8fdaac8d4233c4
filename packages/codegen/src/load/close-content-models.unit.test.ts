import { Validator } from "@cfworker/json-schema";
import type { Schema } from "@cfworker/json-schema";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { dataArbitrary, key, schemaArbitrary } from "../emit/zod/testing/json-arbitraries.js";
import { closeContentModels } from "./close-content-models.js";

const ajv = new Ajv2020({ strict: false });
const close = (schema: Record<string, unknown>): Record<string, unknown> => closeContentModels(schema) as Record<string, unknown>;
const valid = (schema: unknown, data: unknown): boolean => ajv.validate(schema as object, data);

const address = { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } };

describe("the catalog content-model rule", () => {
  it("closes a plain object with additionalProperties: false, at every data location", () => {
    const closed = close({
      type: "object",
      properties: { address, lines: { type: "array", items: { properties: { sku: { type: "string" } } } }, pair: { prefixItems: [address] } },
    });
    expect(closed).toEqual({
      type: "object",
      properties: {
        address: { ...address, additionalProperties: false },
        lines: { type: "array", items: { properties: { sku: { type: "string" } }, additionalProperties: false } },
        pair: { prefixItems: [{ ...address, additionalProperties: false }] },
      },
      additionalProperties: false,
    });
    expect(valid(closed, { address: { street: "x" } })).toBe(true);
    expect(valid(closed, { address: { street: "x", zip: "1" } })).toBe(false);
    expect(valid(closed, { note: 1 })).toBe(false);
  });

  it("leaves a schema that opens itself as written, and an object without properties open", () => {
    for (const schema of [
      { properties: { a: true }, additionalProperties: true },
      { properties: { a: true }, additionalProperties: { type: "string" } },
      { properties: { a: true }, patternProperties: { "^x-": true } },
      { properties: { a: true }, unevaluatedProperties: { type: "number" } },
      { type: "object" },
      { type: "object", additionalProperties: { type: "string" } },
    ]) {
      expect(close(schema)).toEqual(schema);
    }
  });

  it("closes a composition once, with unevaluatedProperties, so the names of every branch stay allowed", () => {
    // How the loader inlines {"$ref": "address.json", "properties": {"zip": ...}}.
    const composed = { allOf: [address], properties: { zip: { type: "string" } } };
    const closed = close(composed);
    expect(closed).toEqual({ ...composed, unevaluatedProperties: false });
    expect(valid(closed, { street: "x", zip: "1" })).toBe(true);
    expect(valid(closed, { street: "x", other: 1 })).toBe(false);
    // Closing each branch by itself would make every object with a street and a zip invalid.
    expect(valid({ allOf: [{ ...address, additionalProperties: false }], properties: { zip: true }, additionalProperties: false }, { street: "x", zip: "1" })).toBe(false);
  });

  it("closes through anyOf, oneOf, then/else and dependentSchemas, counting only the branch that applies", () => {
    const closed = close({
      type: "object",
      properties: { kind: { enum: ["card", "cash"] } },
      oneOf: [
        { properties: { kind: { const: "card" }, last4: { type: "string" } }, required: ["kind"] },
        { properties: { kind: { const: "cash" }, till: { type: "integer" } }, required: ["kind"] },
      ],
      dependentSchemas: { till: { properties: { cashier: { type: "string" } } } },
    });
    expect(closed["unevaluatedProperties"]).toBe(false);
    expect(closed).not.toHaveProperty("additionalProperties");
    expect(valid(closed, { kind: "card", last4: "1234" })).toBe(true);
    expect(valid(closed, { kind: "cash", till: 3, cashier: "bo" })).toBe(true);
    expect(valid(closed, { kind: "card", till: 3 })).toBe(false);
    expect(valid(closed, { kind: "card", cashier: "bo" })).toBe(false);
  });

  it("uses additionalProperties when no branch evaluates properties", () => {
    expect(close({ properties: { a: true, b: true }, anyOf: [{ required: ["a"] }, { required: ["b"] }] })).toMatchObject({ additionalProperties: false });
  });

  it("applies the rule to the target of an annotated $ref, not around it", () => {
    const closed = close({ type: "object", properties: { home: { allOf: [address], description: "where they live" } } });
    expect((closed["properties"] as Record<string, unknown>)["home"]).toEqual({ allOf: [{ ...address, additionalProperties: false }], description: "where they live" });
  });

  it("leaves a property described by two members that apply together as written, but closes alternatives", () => {
    const closed = close({
      allOf: [{ properties: { contact: { properties: { email: { type: "string" } } } } }],
      properties: { contact: { properties: { phone: { type: "string" } } } },
      anyOf: [{ properties: { payload: { properties: { x: true } } } }, { properties: { payload: { properties: { y: true } } } }],
    });
    expect(valid(closed, { contact: { email: "a", phone: "b" } })).toBe(true);
    const anyOf = closed["anyOf"] as Record<string, Record<string, Record<string, unknown>>>[];
    expect(anyOf.map((branch) => branch["properties"]?.["payload"]?.["additionalProperties"])).toEqual([false, false]);
    expect(valid(closed, { payload: { x: 1, y: 1 } })).toBe(false);
    // A pattern that matches a declared property describes it too.
    const patterned = close({ properties: { xa: { properties: { a: true } } }, patternProperties: { "^x": { properties: { b: true } } } });
    expect(valid(patterned, { xa: { a: 1, b: 1 } })).toBe(true);
  });

  it("never closes an object inside a condition", () => {
    const schema = { properties: { a: true }, if: { properties: { a: { properties: { b: { const: 1 } } } } }, not: { properties: { c: true } }, contains: { properties: { d: true } } };
    const closed = close(schema);
    expect(closed["if"]).toBe(schema.if);
    expect(closed["not"]).toBe(schema.not);
    expect(closed["contains"]).toBe(schema.contains);
  });

  it("does not mutate its input and reports every copy", () => {
    const schema = { properties: { a: { properties: { b: true } } } };
    const before = JSON.stringify(schema);
    const copies: [object, object][] = [];
    closeContentModels(schema, (from, to) => copies.push([from, to]));
    expect(JSON.stringify(schema)).toBe(before);
    expect(copies.map(([from]) => from)).toEqual(expect.arrayContaining([schema, schema.properties.a]));
  });
});

describe("the content-model rule on random schemas", () => {
  const schema = schemaArbitrary((sub) => {
    const subs = fc.array(sub, { minLength: 1, maxLength: 2 });
    return {
      type: fc.constantFrom("object", "array"),
      properties: fc.dictionary(key, sub, { maxKeys: 2 }),
      patternProperties: fc.dictionary(fc.constantFrom("^a", "b$"), sub, { maxKeys: 1 }),
      additionalProperties: sub,
      required: fc.uniqueArray(key, { maxLength: 2 }),
      items: sub,
      prefixItems: subs,
      allOf: subs,
      anyOf: subs,
      oneOf: subs,
      if: sub,
      then: sub,
      else: sub,
      dependentSchemas: fc.dictionary(key, sub, { maxKeys: 1 }),
      unevaluatedProperties: sub,
    };
  });

  it("only tightens, and applying it twice changes nothing", () => {
    fc.assert(
      fc.property(schema, fc.array(dataArbitrary(key), { maxLength: 6 }), (generated, values) => {
        const closed = closeContentModels(generated);
        expect(closeContentModels(closed)).toEqual(closed);
        const original = new Validator(structuredClone(generated) as Schema | boolean, "2020-12", false);
        const tightened = new Validator(structuredClone(closed) as Schema | boolean, "2020-12", false);
        for (const value of values) if (tightened.validate(value).valid) expect(original.validate(value).valid, JSON.stringify(value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
