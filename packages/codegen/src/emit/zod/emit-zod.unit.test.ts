import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import type { JsonSchema } from "../../model/catalog-model.js";
import { evaluateZod } from "../../../test/conformance/evaluate-zod.js";
import { emitZodExpression, printZodExpression } from "./emit-zod.js";
import { isZodEmitError } from "./zod-emit-error.js";

const moneyDeposited = JSON.parse(readFileSync(new URL("../../../../../schemas/banking/MoneyDeposited/v1.json", import.meta.url), "utf8")) as JsonSchema;
const validatorOf = (schema: JsonSchema) => evaluateZod(printZodExpression(schema));
const issuesOf = (schema: JsonSchema, data: unknown) => validatorOf(schema).safeParse(data).error?.issues ?? [];
const ACCOUNT = "5f0c3e64-2b7a-4d5e-9a43-6f1b2c3d4e5f";

describe("emitZodExpression on an event schema", () => {
  it("emits plain zod: a strict object with accountId and amount", () => {
    const code = printZodExpression(moneyDeposited);
    expect(code).toMatch(/^z\.strictObject\(\{/);
    expect(code).toMatch(/\n\s+accountId: z\.guid\(\),\n/);
    expect(code).toMatch(/\n\s+amount: z\.number\(\)\.min\(1\)\.refine\(Number\.isInteger/);
    expect(code).not.toContain("=>"); // no helper functions in the common case
  });

  it("accepts a valid event and returns it unchanged", () => {
    const data = { accountId: ACCOUNT, amount: 1250 };
    expect(validatorOf(moneyDeposited).parse(data)).toEqual(data);
  });

  it("reports every issue with the path of the offending value", () => {
    const issues = issuesOf(moneyDeposited, { accountId: "not-a-uuid", amount: 0.5, note: "extra" });
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([["accountId"], ["amount"], []]));
    expect(issues.find((issue) => issue.path.length === 0)?.code).toBe("unrecognized_keys");
    expect(issuesOf(moneyDeposited, { amount: 1 }).map((issue) => issue.path)).toEqual([["accountId"]]);
  });

  it("carries paths through arrays, helpers and combinators", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: { lines: { type: "array", items: { type: "object", properties: { qty: { type: "integer" } } }, uniqueItems: true } },
      patternProperties: { "^x-": { type: "string" } },
      allOf: [{ properties: { total: { minimum: 0 } } }],
    };
    expect(issuesOf(schema, { "x-a": 3 }).map((issue) => issue.path)).toEqual([["x-a"]]);
    expect(issuesOf(schema, { total: -1 }).map((issue) => issue.path)).toEqual([["total"]]);
    expect(issuesOf(schema, { lines: [{ qty: 1 }, { qty: 1.5 }] }).map((issue) => issue.path)).toEqual([["lines", 1, "qty"]]);
    expect(issuesOf(schema, { lines: [{ qty: 1 }, { qty: 1 }] }).map((issue) => issue.path)).toEqual([["lines", 1]]);
  });

  it("prints the same code for the same schema", () => {
    const schema: JsonSchema = { type: "array", items: { enum: [{ b: 1, a: 2 }, 1] }, uniqueItems: true, contains: { const: 1 } };
    expect(printZodExpression(schema)).toBe(printZodExpression(structuredClone(schema)));
  });
});

describe("JSON Schema semantics the emitted code keeps", () => {
  it("keeps extra properties unless additionalProperties is false", () => {
    expect(validatorOf({ type: "object", properties: { a: { type: "string" } } }).parse({ a: "x", b: 2 })).toEqual({ a: "x", b: 2 });
  });

  it("keeps a strict subschema strict behind allOf and patternProperties", () => {
    // zod lets unrecognized_keys through a pipe into a union; forwarded issues must not be.
    expect(validatorOf({ allOf: [{ additionalProperties: false }], dependentRequired: {} }).safeParse({ a: 0 }).success).toBe(false);
    const patterned = validatorOf({ type: "object", patternProperties: { "^a": { type: "object", additionalProperties: false } } });
    expect(patterned.safeParse({ a1: { x: 1 } }).error?.issues.map((issue) => issue.path)).toEqual([["a1"]]);
  });

  it("does not apply default (an annotation): what was sent is what is stored", () => {
    expect(validatorOf({ type: "object", properties: { a: { type: "string", default: "x" } } }).parse({})).toEqual({});
  });

  it("counts string length in code points, not UTF-16 units", () => {
    expect(validatorOf({ type: "string", minLength: 2 }).safeParse("💩").success).toBe(false);
    expect(validatorOf({ type: "string", maxLength: 1 }).safeParse("💩").success).toBe(true);
  });

  it("treats integers as unbounded and 1.0 as an integer", () => {
    const integer = validatorOf({ type: "integer" });
    expect([1e308, 1.0, -0].map((n) => integer.safeParse(n).success)).toEqual([true, true, true]);
    expect(integer.safeParse(1.5).success).toBe(false);
    expect(printZodExpression({ type: "integer", minimum: 0, maximum: 100 })).toBe("z.int().min(0).max(100)");
  });

  it("compares multipleOf on exact decimals", () => {
    const cents = validatorOf({ multipleOf: 0.01 });
    expect([0.07, 19.99, 2.03, 1e308].map((n) => cents.safeParse(n).success)).toEqual([true, true, true, true]);
    expect([0.075, 1e-7].map((n) => cents.safeParse(n).success)).toEqual([false, false]);
  });

  it("handles property names that are Object.prototype members or need quoting", () => {
    // Parsed, not written as a literal: `{ __proto__: ... }` in code would set the prototype.
    const schema = JSON.parse(
      '{"type": "object", "properties": {"__proto__": {"type": "number"}, "constructor": {"type": "number"}, "foo\\nbar": {"type": "number"}}, "required": ["__proto__", "foo\\nbar"], "additionalProperties": false}',
    ) as JsonSchema;
    const validator = validatorOf(schema);
    expect(validator.safeParse(JSON.parse('{"__proto__": 1, "constructor": 2, "foo\\nbar": 3}')).success).toBe(true);
    expect(validator.safeParse(JSON.parse('{"__proto__": "1", "foo\\nbar": 3}')).error?.issues.map((i) => i.path)).toEqual([["__proto__"]]);
    expect(validator.safeParse({ "foo\nbar": 3 }).success).toBe(false);
    expect(validator.safeParse(JSON.parse('{"__proto__": 1, "foo\\nbar": 3, "other": 4}')).success).toBe(false);
  });
});

describe("keywords that depend on other keywords", () => {
  it("applies then or else by whether if holds, and ignores then/else without if", () => {
    const schema: JsonSchema = { if: { properties: { kind: { const: "card" } }, required: ["kind"] }, then: { type: "object", required: ["last4"] }, else: { not: { required: ["last4"] } } };
    const validator = validatorOf(schema);
    expect(validator.safeParse({ kind: "card", last4: "1234" }).success).toBe(true);
    expect(issuesOf(schema, { kind: "card" }).map((issue) => issue.path)).toEqual([["last4"]]);
    expect(validator.safeParse({ kind: "cash", last4: "1234" }).success).toBe(false);
    expect(validatorOf({ then: false, else: false }).safeParse(1).success).toBe(true);
    expect(printZodExpression({ if: { type: "string" } })).toBe("z.unknown()");
  });

  it("applies a dependent schema to the whole object when its property is present", () => {
    const schema: JsonSchema = { type: "object", dependentSchemas: { iban: { type: "object", properties: { bic: { type: "string" } }, required: ["bic"] } } };
    expect(validatorOf(schema).safeParse({}).success).toBe(true);
    expect(issuesOf(schema, { iban: "DE00" }).map((issue) => issue.path)).toEqual([["bic"]]);
    expect(issuesOf(schema, { iban: "DE00", bic: 7 }).map((issue) => issue.path)).toEqual([["bic"]]);
  });

  it("sees properties evaluated by allOf, a passing anyOf branch, if/then and a dependent schema", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: { kind: { enum: ["a", "b"] } },
      allOf: [{ properties: { id: { type: "string" } } }],
      anyOf: [{ properties: { a: { type: "number" } }, required: ["a"] }, { properties: { b: { type: "number" } }, required: ["b"] }],
      if: { properties: { kind: { const: "a" } } },
      then: { properties: { extra: true } },
      dependentSchemas: { id: { properties: { note: { type: "string" } } } },
      unevaluatedProperties: false,
    };
    const validator = validatorOf(schema);
    expect(validator.safeParse({ kind: "a", id: "1", a: 1, extra: 0, note: "n" }).success).toBe(true);
    // `b` is declared only in the anyOf branch that failed (b is not a number): not evaluated.
    expect(issuesOf(schema, { kind: "a", a: 1, b: "x" }).map((issue) => issue.path)).toEqual([["b"]]);
    // `extra` is evaluated only when kind is "a"; `note` only when id is present.
    expect(issuesOf(schema, { kind: "b", b: 1, extra: 0, note: "n" }).map((issue) => issue.path)).toEqual([["extra"], ["note"]]);
  });

  it("validates unevaluated properties and items against a schema, with their paths", () => {
    const properties: JsonSchema = { properties: { a: true }, unevaluatedProperties: { type: "string" } };
    expect(issuesOf(properties, { a: 1, b: "x", c: 2 }).map((issue) => issue.path)).toEqual([["c"]]);
    const items: JsonSchema = { prefixItems: [{ type: "number" }], contains: { const: "x" }, unevaluatedItems: { type: "boolean" } };
    expect(validatorOf(items).safeParse([1, "x", true, "x"]).success).toBe(true);
    expect(issuesOf(items, [1, "x", "y"]).map((issue) => issue.path)).toEqual([[2]]);
  });

  it("drops the annotations of not, and of a nested unevaluated* only when its own schema fails", () => {
    expect(validatorOf({ not: { not: { properties: { a: true } } }, unevaluatedProperties: false }).safeParse({ a: 1 }).success).toBe(false);
    const nested: JsonSchema = { anyOf: [{ unevaluatedProperties: { type: "number" } }, true], unevaluatedProperties: false };
    expect(validatorOf(nested).safeParse({ a: 1 }).success).toBe(true);
    expect(validatorOf(nested).safeParse({ a: "x" }).success).toBe(false);
  });

  it("resolves $ref to an $anchor in the same document", () => {
    const schema: JsonSchema = { properties: { money: { $ref: "#money" } }, $defs: { m: { $anchor: "money", type: "integer" } } };
    expect(validatorOf(schema).safeParse({ money: 1.5 }).success).toBe(false);
    expect(validatorOf(schema).safeParse({ money: 1 }).success).toBe(true);
  });
});

describe("schemas the emitter refuses", () => {
  const refusal = (schema: JsonSchema): unknown => {
    try {
      emitZodExpression(schema);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it.each([
    ["unsupported-keyword", { properties: { a: { $dynamicRef: "#x" } } }, "/properties/a"],
    ["unsupported-format", { format: "hostname" }, "/"],
    ["ref-outside-document", { $ref: "other.json#/x" }, "/"],
    ["circular-ref", { $defs: { a: { items: { $ref: "#/$defs/a" } } }, $ref: "#/$defs/a" }, "/$defs/a/items"],
    ["unresolved-ref", { $ref: "#/$defs/missing" }, "/"],
    ["unresolved-ref", { $ref: "#nowhere" }, "/"],
    ["unresolved-ref", { $ref: "#twice", $defs: { a: { $anchor: "twice" }, b: { $anchor: "twice" } } }, "/"],
    ["invalid-pattern", { pattern: "\\p{Nope}" }, "/"],
  ] as const)("%s", (code, schema, pointer) => {
    const error = refusal(schema as JsonSchema);
    expect(isZodEmitError(error) && error.reason).toBe(code);
    expect((error as Error).message).toContain(`(at ${pointer})`);
  });
});
