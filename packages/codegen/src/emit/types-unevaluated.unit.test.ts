import { compile } from "json-schema-to-typescript";
import { describe, expect, it } from "vitest";

import type { JsonSchemaObject } from "../model/catalog-model.js";
import { schemaForTypes } from "./types-schema.js";

/** The type json-schema-to-typescript prints for `schema`, on one line. */
async function typeOf(schema: JsonSchemaObject): Promise<string> {
  const printed = await compile(schemaForTypes(schema, "T"), "T", { bannerComment: "", format: false, unknownAny: true, additionalProperties: true });
  return printed.replace(/\s+/g, " ").replace(/\s*\|\s*/g, " | ").replace(/[()]/g, "").trim();
}

describe("types of the keywords json-schema-to-typescript does not read", () => {
  it("closes an object and its branches for unevaluatedProperties: false", async () => {
    const type = await typeOf({ type: "object", properties: { a: { type: "string" } }, allOf: [{ properties: { b: { type: "number" } } }], unevaluatedProperties: false });
    expect(type).toBe("export type T = { b?: number } & { a?: string }");
  });

  it("adds properties only a conditional part declares as optional, typed as the union of their declarations", async () => {
    const type = await typeOf({
      type: "object",
      properties: { kind: { enum: ["card", "cash"] } },
      if: { properties: { kind: { const: "card" } } },
      then: { properties: { last4: { type: "string" } } },
      else: { properties: { last4: { type: "null" }, till: { type: "integer" } } },
      dependentSchemas: { kind: { properties: { note: { type: "string" } } } },
      unevaluatedProperties: false,
    });
    expect(type).toBe('export interface T { kind?: "card" | "cash" last4?: string | null till?: number note?: string }');
  });

  it("keeps the unconditional declaration of a name a conditional part narrows", async () => {
    const type = await typeOf({ type: "object", allOf: [{ properties: { a: { type: "string" } } }], then: { properties: { a: { const: "x" } } }, if: true, unevaluatedProperties: false });
    expect(type).toContain("a?: string");
    expect(type).not.toContain('"x"');
  });

  it("stays open where the schema opens it: a branch, a conditional part or a schema-valued unevaluatedProperties", async () => {
    expect(await typeOf({ properties: { a: { type: "string" } }, anyOf: [{ additionalProperties: true }], unevaluatedProperties: false })).toContain("[k: string]: unknown");
    expect(await typeOf({ properties: { a: { type: "string" } }, if: true, then: { patternProperties: { "^x": true } }, unevaluatedProperties: false })).toContain("[k: string]: unknown");
    expect(await typeOf({ properties: { a: { type: "string" } }, unevaluatedProperties: { type: "number" } })).toContain("[k: string]: unknown");
  });

  it("leaves if/then/else, dependentSchemas and dependentRequired out of an open type", async () => {
    const type = await typeOf({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false, if: true, then: { required: ["a"] }, dependentRequired: { a: ["b"] } });
    expect(type).toBe("export interface T { a?: string }");
  });

  it("makes unevaluatedItems the rest of a tuple that nothing else extends", async () => {
    expect(await typeOf({ type: "array", prefixItems: [{ type: "string" }], unevaluatedItems: false })).toBe("export type T = [] | [string]");
    expect(await typeOf({ type: "array", prefixItems: [{ type: "string" }], unevaluatedItems: { type: "number" } })).toBe("export type T = [] | [string, ...number[]]");
    expect(await typeOf({ type: "array", prefixItems: [{ type: "string" }], anyOf: [true], unevaluatedItems: false })).toContain("unknown[]");
  });
});
