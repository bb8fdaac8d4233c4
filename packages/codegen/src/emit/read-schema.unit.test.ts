import { describe, expect, it } from "vitest";

import { evaluateZod } from "../../test/conformance/evaluate-zod.js";
import type { JsonSchemaObject, PiiField } from "../model/catalog-model.js";
import { isValid } from "../upcasters/testing/test-validator.js";
import { printZodExpression } from "./zod/emit-zod.js";
import { ERASED_MARKER_SCHEMA, ERASED_TS_SCHEMA, readSchema } from "./read-schema.js";

const ERASED = { $erased: true };
const text = { type: "string", minLength: 1 };

const schema: JsonSchemaObject = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: text,
    parties: {
      type: "array",
      items: { type: "object", properties: { id: { type: "string" }, email: text }, required: ["id", "email"], additionalProperties: false },
    },
    pair: { type: "array", prefixItems: [text, text], items: false },
    contact: {
      type: "object",
      properties: { phone: { type: "string" } },
      required: ["phone"],
      // The same field, constrained again in a branch: both must admit the marker.
      allOf: [{ properties: { phone: { pattern: "^\\+" } } }],
    },
  },
  required: ["id", "name", "parties", "pair", "contact"],
  additionalProperties: false,
};

const pii: PiiField[] = [
  { path: "/contact/phone", subject: "/id" },
  { path: "/name", subject: "/id" },
  { path: "/pair/1", subject: "/id" },
  { path: "/parties/*/email", subject: "/parties/*/id" },
];

const plain = {
  id: "s1",
  name: "Ada",
  parties: [{ id: "p1", email: "a@b.c" }, { id: "p2", email: "d@e.f" }],
  pair: ["x", "y"],
  contact: { phone: "+44" },
};

const read = readSchema(schema, pii, ERASED_MARKER_SCHEMA);
const zodRead = evaluateZod(printZodExpression(read));
/** Both the JSON Schema semantics (ajv) and the emitted zod validator must agree. */
const accepts = (data: unknown): boolean => {
  const ajv = isValid(read, data);
  expect(zodRead.safeParse(data).success).toBe(ajv);
  return ajv;
};

describe("readSchema", () => {
  it("admits the erased marker at every personal-data path: properties, array items, tuple positions, allOf branches", () => {
    expect(accepts(plain)).toBe(true);
    expect(accepts({ ...plain, name: ERASED })).toBe(true);
    expect(accepts({ ...plain, parties: [{ id: "p1", email: ERASED }, { id: "p2", email: "d@e.f" }] })).toBe(true);
    expect(accepts({ ...plain, pair: ["x", ERASED] })).toBe(true);
    expect(accepts({ ...plain, contact: { phone: ERASED } })).toBe(true);
  });

  it("keeps refusing the marker everywhere else, and keeps every other constraint", () => {
    expect(accepts({ ...plain, id: ERASED })).toBe(false);
    expect(accepts({ ...plain, parties: [{ id: ERASED, email: "a@b.c" }] })).toBe(false);
    expect(accepts({ ...plain, parties: ERASED })).toBe(false);
    expect(accepts({ ...plain, pair: [ERASED, "y"] })).toBe(false);
    expect(accepts({ ...plain, contact: ERASED })).toBe(false);
    expect(accepts({ ...plain, name: "" })).toBe(false);
    expect(accepts({ ...plain, contact: { phone: "44" } })).toBe(false);
    expect(accepts({ ...plain, name: { $erased: true, value: "Ada" } })).toBe(false);
  });

  it("admits the marker where then, else or a dependent schema constrains a personal-data field", () => {
    const conditional: JsonSchemaObject = {
      type: "object",
      properties: { id: { type: "string" }, kind: { enum: ["a", "b"] }, name: { type: "string" } },
      if: { properties: { kind: { const: "a" } } },
      then: { properties: { name: { minLength: 2 } } },
      else: { properties: { name: { maxLength: 1 } } },
      dependentSchemas: { id: { properties: { name: { pattern: "^[A-Z]" } } } },
      unevaluatedProperties: false,
    };
    const widened = readSchema(conditional, [{ path: "/name", subject: "/id" }], ERASED_MARKER_SCHEMA);
    const validator = evaluateZod(printZodExpression(widened));
    for (const data of [{ id: "1", kind: "a", name: ERASED }, { id: "1", kind: "b", name: ERASED }, { id: "1", kind: "a", name: "Ada" }]) {
      expect(isValid(widened, data)).toBe(true);
      expect(validator.safeParse(data).success).toBe(true);
    }
    for (const data of [{ id: "1", kind: "a", name: "ada" }, { id: ERASED, kind: "a", name: "Ada" }]) {
      expect(isValid(widened, data)).toBe(false);
      expect(validator.safeParse(data).success).toBe(false);
    }
  });

  it("returns the schema itself when the version has no personal data, and never mutates it", () => {
    const before = JSON.stringify(schema);
    expect(readSchema(schema, [], ERASED_MARKER_SCHEMA)).toBe(schema);
    readSchema(schema, pii, ERASED_TS_SCHEMA);
    expect(JSON.stringify(schema)).toBe(before);
  });

  it("names the runtime's Erased type for the TypeScript emitter", () => {
    const typed = readSchema(schema, [{ path: "/name", subject: "/id" }], ERASED_TS_SCHEMA);
    expect((typed["properties"] as Record<string, unknown>)["name"]).toEqual({ anyOf: [text, { tsType: "Erased" }] });
  });
});
