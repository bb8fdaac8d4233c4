/**
 * Test support: one minimal case per change kind, with the expected verdict in each direction
 * (BACKWARD: every v1 instance validates under v2; FORWARD: every v2 instance under v1; FULL is
 * both). The minimal cases are here, named as in the issue; docs/schema-evolution.md
 * tabulates the same kinds.
 */
import type { JsonSchema } from "../../model/catalog-model.js";

/** A verdict the engine must give. */
export type Expected = "compatible" | "breaking" | "undecidable";

/** One change kind: v1, v2 and the expected BACKWARD and FORWARD verdicts. */
export interface ChangeCase {
  readonly name: string;
  readonly v1: JsonSchema;
  readonly v2: JsonSchema;
  readonly backward: Expected;
  readonly forward: Expected;
}

const str = { type: "string" };
const num = { type: "number" };
const int = { type: "integer" };
const obj = (extra: Record<string, unknown>): JsonSchema => ({ type: "object", ...extra }) as JsonSchema;

/** Content models: additionalProperties, patternProperties, propertyNames (issue point 1). */
export const CONTENT_MODEL_CASES: readonly ChangeCase[] = [
  { name: "issue 1a: property added to an additionalProperties:string model", v1: obj({ additionalProperties: str }), v2: obj({ additionalProperties: str, properties: { bar: num } }), backward: "breaking", forward: "breaking" },
  { name: "issue 1a: property added to a patternProperties ^b model", v1: obj({ patternProperties: { "^b": str } }), v2: obj({ patternProperties: { "^b": str }, properties: { bar: num } }), backward: "breaking", forward: "compatible" },
  { name: "issue 1b: closed model → additionalProperties:string", v1: { properties: { bar: str }, additionalProperties: false }, v2: { additionalProperties: str }, backward: "compatible", forward: "breaking" },
  { name: "issue 1c: a false property in a closed model is no property", v1: { properties: { foo: false }, additionalProperties: false }, v2: { additionalProperties: false }, backward: "compatible", forward: "compatible" },
  { name: "issue 1d: patternProperties added to a closed model loosens", v1: obj({ properties: { a: str }, additionalProperties: false }), v2: obj({ properties: { a: str }, patternProperties: { "^x_": int }, additionalProperties: false }), backward: "compatible", forward: "breaking" },
  { name: "optional property added to a closed model", v1: obj({ properties: { a: str }, additionalProperties: false }), v2: obj({ properties: { a: str, b: int }, additionalProperties: false }), backward: "compatible", forward: "breaking" },
  { name: "optional property removed from a closed model", v1: obj({ properties: { a: str, b: int }, additionalProperties: false }), v2: obj({ properties: { a: str }, additionalProperties: false }), backward: "breaking", forward: "compatible" },
  { name: "optional property added to an open model", v1: obj({ properties: { a: str } }), v2: obj({ properties: { a: str, b: int } }), backward: "breaking", forward: "compatible" },
  { name: "required added", v1: obj({ properties: { a: str } }), v2: obj({ properties: { a: str }, required: ["a"] }), backward: "breaking", forward: "compatible" },
  { name: "model opened", v1: obj({ properties: { a: str }, additionalProperties: false }), v2: obj({ properties: { a: str } }), backward: "compatible", forward: "breaking" },
  { name: "patternProperties narrowed to a sub-pattern", v1: obj({ patternProperties: { "^x": str }, additionalProperties: false }), v2: obj({ patternProperties: { "^xy": str }, additionalProperties: false }), backward: "breaking", forward: "compatible" },
  { name: "propertyNames added", v1: obj({ additionalProperties: int }), v2: obj({ additionalProperties: int, propertyNames: { pattern: "^[a-z]+$" } }), backward: "breaking", forward: "compatible" },
  { name: "propertyNames widened", v1: obj({ propertyNames: { maxLength: 3 } }), v2: obj({ propertyNames: { maxLength: 5 } }), backward: "compatible", forward: "breaking" },
  { name: "maxProperties lowered", v1: obj({ maxProperties: 3 }), v2: obj({ maxProperties: 2 }), backward: "breaking", forward: "compatible" },
  { name: "dependentRequired added", v1: obj({ properties: { a: str, b: str } }), v2: obj({ properties: { a: str, b: str }, dependentRequired: { a: ["b"] } }), backward: "breaking", forward: "compatible" },
  { name: "dependentSchemas added", v1: obj({ properties: { a: str, b: int } }), v2: obj({ properties: { a: str, b: int }, dependentSchemas: { a: { properties: { b: { minimum: 1 } } } } }), backward: "breaking", forward: "compatible" },
  {
    name: "closed composition (unevaluatedProperties:false) gains a branch property",
    v1: { allOf: [{ properties: { a: str } }], properties: { b: str }, unevaluatedProperties: false },
    v2: { allOf: [{ properties: { a: str } }, { properties: { c: int } }], properties: { b: str }, unevaluatedProperties: false },
    backward: "compatible",
    forward: "breaking",
  },
  {
    name: "closed composition with anyOf: a property moves between branches",
    v1: { anyOf: [{ properties: { kind: { const: "a" }, x: str }, required: ["kind"] }, { properties: { kind: { const: "b" } }, required: ["kind"] }], unevaluatedProperties: false },
    v2: { anyOf: [{ properties: { kind: { const: "a" } }, required: ["kind"] }, { properties: { kind: { const: "b" }, x: str }, required: ["kind"] }], unevaluatedProperties: false },
    backward: "breaking",
    forward: "breaking",
  },
];

/** Combinators by what they accept, never by position (issue point 2). */
export const COMBINATOR_CASES: readonly ChangeCase[] = [
  { name: "issue 2a: plain → anyOf with a compatible branch", v1: str, v2: { anyOf: [num, str] }, backward: "compatible", forward: "breaking" },
  { name: "plain → oneOf with a compatible branch", v1: str, v2: { oneOf: [num, str] }, backward: "compatible", forward: "breaking" },
  { name: "issue 2b: oneOf → anyOf", v1: { oneOf: [num, str] }, v2: { anyOf: [num, str] }, backward: "compatible", forward: "compatible" },
  { name: "oneOf → anyOf of overlapping branches", v1: { oneOf: [num, { type: "integer", minimum: 5 }] }, v2: { anyOf: [num, { type: "integer", minimum: 5 }] }, backward: "compatible", forward: "breaking" },
  { name: "anyOf branches reordered", v1: { anyOf: [str, int, { type: "null" }] }, v2: { anyOf: [{ type: "null" }, str, int] }, backward: "compatible", forward: "compatible" },
  { name: "anyOf branch removed", v1: { anyOf: [str, int] }, v2: { anyOf: [str] }, backward: "breaking", forward: "compatible" },
  { name: "issue 2c: allOf branch removed", v1: { allOf: [str, { minLength: 2 }] }, v2: { allOf: [str] }, backward: "compatible", forward: "breaking" },
  { name: "allOf branch added", v1: { allOf: [str] }, v2: { allOf: [str, { maxLength: 3 }] }, backward: "breaking", forward: "compatible" },
  { name: "issue 2d: not number → not integer", v1: { not: num }, v2: { not: int }, backward: "compatible", forward: "breaking" },
  { name: "not added", v1: int, v2: { type: "integer", not: { const: 0 } }, backward: "breaking", forward: "compatible" },
  { name: "if/then/else on a discriminator, then tightened", v1: { if: { properties: { k: { const: "a" } } }, then: { properties: { n: int } } }, v2: { if: { properties: { k: { const: "a" } } }, then: { properties: { n: { type: "integer", minimum: 0 } } } }, backward: "breaking", forward: "compatible" },
];

/** Scalars: type, enum, const, bounds, strings. */
export const SCALAR_CASES: readonly ChangeCase[] = [
  { name: "integer → number", v1: int, v2: num, backward: "compatible", forward: "breaking" },
  { name: "type union widened", v1: str, v2: { type: ["string", "null"] }, backward: "compatible", forward: "breaking" },
  { name: "enum value added", v1: { enum: ["a"] }, v2: { enum: ["a", "b"] }, backward: "compatible", forward: "breaking" },
  { name: "const changed", v1: { const: "a" }, v2: { const: "b" }, backward: "breaking", forward: "breaking" },
  { name: "minimum raised", v1: { type: "integer", minimum: 0 }, v2: { type: "integer", minimum: 1 }, backward: "breaking", forward: "compatible" },
  { name: "exclusiveMinimum 0 ≡ minimum 1 for integers", v1: { type: "integer", exclusiveMinimum: 0 }, v2: { type: "integer", minimum: 1 }, backward: "compatible", forward: "compatible" },
  { name: "multipleOf 4 → 2", v1: { type: "integer", multipleOf: 4 }, v2: { type: "integer", multipleOf: 2 }, backward: "compatible", forward: "breaking" },
  { name: "maxLength lowered", v1: { type: "string", maxLength: 5 }, v2: { type: "string", maxLength: 3 }, backward: "breaking", forward: "compatible" },
  { name: "pattern narrowed", v1: { type: "string", pattern: "^[a-z]+$" }, v2: { type: "string", pattern: "^[a-c]+$" }, backward: "breaking", forward: "compatible" },
  { name: "pattern rewritten equivalently", v1: { type: "string", pattern: "^[0-9]{2}$" }, v2: { type: "string", pattern: "^\\d\\d$" }, backward: "compatible", forward: "compatible" },
  { name: "format added", v1: str, v2: { type: "string", format: "uuid" }, backward: "breaking", forward: "compatible" },
  { name: "pattern with a backreference", v1: { type: "string", pattern: "^(a+)b\\1$" }, v2: { type: "string", pattern: "^(a+)c\\1$" }, backward: "undecidable", forward: "undecidable" },
];

/** Arrays and tuples (issue point 3). */
export const ARRAY_CASES: readonly ChangeCase[] = [
  { name: "items widened", v1: { type: "array", items: int }, v2: { type: "array", items: num }, backward: "compatible", forward: "breaking" },
  { name: "tuple position added to a closed tuple", v1: { type: "array", prefixItems: [str], items: false }, v2: { type: "array", prefixItems: [str, int], items: false }, backward: "compatible", forward: "breaking" },
  { name: "open tuple closed", v1: { type: "array", prefixItems: [str] }, v2: { type: "array", prefixItems: [str], items: false }, backward: "breaking", forward: "compatible" },
  { name: "tuple position typed in an open tuple", v1: { type: "array", prefixItems: [str], items: num }, v2: { type: "array", prefixItems: [str, int], items: num }, backward: "breaking", forward: "compatible" },
  { name: "contains added", v1: { type: "array", items: int }, v2: { type: "array", items: int, contains: { minimum: 5 } }, backward: "breaking", forward: "compatible" },
  { name: "contains widened", v1: { type: "array", contains: int }, v2: { type: "array", contains: num }, backward: "compatible", forward: "breaking" },
  { name: "minContains lowered", v1: { type: "array", contains: str, minContains: 2 }, v2: { type: "array", contains: str }, backward: "compatible", forward: "breaking" },
  { name: "maxContains added", v1: { type: "array", contains: str }, v2: { type: "array", contains: str, maxContains: 1 }, backward: "breaking", forward: "compatible" },
  { name: "minItems raised", v1: { type: "array", minItems: 1 }, v2: { type: "array", minItems: 2 }, backward: "breaking", forward: "compatible" },
  { name: "uniqueItems added", v1: { type: "array", items: int }, v2: { type: "array", items: int, uniqueItems: true }, backward: "breaking", forward: "compatible" },
];

/** Every case. */
export const CHANGE_CASES: readonly ChangeCase[] = [...CONTENT_MODEL_CASES, ...COMBINATOR_CASES, ...SCALAR_CASES, ...ARRAY_CASES];
