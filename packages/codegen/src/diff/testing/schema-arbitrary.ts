/**
 * Test support: random event-like JSON Schemas from a small vocabulary (few property names, few
 * types), so that two independently drawn schemas are often related, plus a deep key shuffler.
 */
import fc from "fast-check";

import type { JsonSchemaObject, JsonValue } from "../../model/catalog-model.js";

const NAMES = ["a", "b", "c"] as const;

const scalar: fc.Arbitrary<JsonSchemaObject> = fc.oneof(
  fc.record({ type: fc.constantFrom("integer", "number") }, { requiredKeys: ["type"] }).chain((base) =>
    fc.record({ minimum: fc.integer({ min: -2, max: 2 }), maximum: fc.integer({ min: 3, max: 6 }) }, { requiredKeys: [] }).map((bounds) => ({ ...base, ...bounds })),
  ),
  fc.record({ type: fc.constant("string"), minLength: fc.integer({ min: 0, max: 2 }), maxLength: fc.integer({ min: 3, max: 6 }) }, { requiredKeys: ["type"] }),
  fc.record({ enum: fc.uniqueArray(fc.constantFrom("x", "y", "z"), { minLength: 1, maxLength: 3 }) }),
  fc.constantFrom<JsonSchemaObject>({ type: "boolean" }, { type: ["string", "null"] }, { type: "string" }, { type: "integer" }),
);

/** A schema node: a scalar, an object of scalars/objects, or an array. */
export const schemaArbitrary: fc.Arbitrary<JsonSchemaObject> = fc.letrec<{ node: JsonSchemaObject; object: JsonSchemaObject }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("object"), tie("object").map((items) => ({ type: "array", items }) as JsonSchemaObject)),
  object: fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...NAMES), tie("node"), { maxKeys: 3 }),
      required: fc.subarray([...NAMES]),
      closed: fc.boolean(),
    })
    .map(({ properties, required, closed }) => ({
      type: "object",
      properties,
      required: required.filter((name) => name in properties),
      ...(closed ? { additionalProperties: false } : {}),
    })),
})).object;

/** The same JSON value with every object's keys in an order drawn by fast-check. */
export function shuffledKeys(value: JsonValue): fc.Arbitrary<JsonValue> {
  if (Array.isArray(value)) return fc.tuple(...value.map(shuffledKeys));
  if (typeof value !== "object" || value === null) return fc.constant(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return fc.constant({});
  return fc
    .tuple(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), ...entries.map(([, item]) => shuffledKeys(item)))
    .map(([order, ...items]) => {
      const shuffled = new Map(entries.map(([key], index) => [key, items[index]]));
      return Object.fromEntries(order.map(([key]) => [key, shuffled.get(key) as JsonValue]));
    });
}
