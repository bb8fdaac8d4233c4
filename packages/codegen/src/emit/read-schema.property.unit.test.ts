/**
 * Property: for any nested object/array schema and any set of personal-data paths in it, the
 * read-side validator (the zod code codegen prints, checked against ajv) accepts the erased
 * marker at every personal-data value, in any combination, and nowhere else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { evaluateZod } from "../../test/conformance/evaluate-zod.js";
import type { JsonSchemaObject, JsonValue, PiiField } from "../model/catalog-model.js";
import { isValid } from "../upcasters/testing/test-validator.js";
import { printZodExpression } from "./zod/emit-zod.js";
import { ERASED_MARKER_SCHEMA, readSchema } from "./read-schema.js";

const ERASED = { $erased: true };

/** A schema node with a matching instance generator and every data path (`*` for array items) below it. */
interface Node {
  readonly schema: JsonSchemaObject;
  readonly instance: fc.Arbitrary<JsonValue>;
  /** Paths relative to this node, `[]` being the node itself. */
  readonly paths: readonly (readonly string[])[];
}

const leaf: fc.Arbitrary<Node> = fc.constantFrom<Node>(
  { schema: { type: "string", minLength: 1 }, instance: fc.string({ minLength: 1, maxLength: 4 }), paths: [[]] },
  { schema: { type: "integer" }, instance: fc.integer(), paths: [[]] },
);

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), tie("node"), { minKeys: 1, maxKeys: 3 }).map((children): Node => {
      const names = Object.keys(children);
      return {
        schema: { type: "object", properties: Object.fromEntries(names.map((name) => [name, children[name]?.schema ?? {}])), required: names, additionalProperties: false },
        instance: fc.record(Object.fromEntries(names.map((name) => [name, children[name]?.instance ?? fc.constant(null)]))) as fc.Arbitrary<JsonValue>,
        paths: [[], ...names.flatMap((name) => (children[name]?.paths ?? []).map((sub) => [name, ...sub]))],
      };
    }),
    tie("node").map((item): Node => ({
      schema: { type: "array", items: item.schema },
      instance: fc.array(item.instance, { maxLength: 3 }),
      paths: [[], ...item.paths.map((sub) => ["*", ...sub])],
    })),
  ),
})).node;

/** Every concrete location of `pattern` in `data`. */
function locate(data: JsonValue, pattern: readonly string[], at: readonly (string | number)[] = []): (string | number)[][] {
  if (pattern.length === 0) return [[...at]];
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === "*") return Array.isArray(data) ? data.flatMap((item, index) => locate(item, rest, [...at, index])) : [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) return [];
  const child = (data as Record<string, JsonValue>)[head];
  return child === undefined ? [] : locate(child, rest, [...at, head]);
}

function replaceAt(data: JsonValue, location: readonly (string | number)[], value: JsonValue): JsonValue {
  if (location.length === 0) return value;
  const [head, ...rest] = location as [string | number, ...(string | number)[]];
  if (Array.isArray(data)) return data.map((item, index) => (index === head ? replaceAt(item, rest, value) : item));
  const record = data as Record<string, JsonValue>;
  return { ...record, [head]: replaceAt(record[head] ?? null, rest, value) };
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((segment, i) => b[i] === segment);

/** A root object, personal-data paths in it (none inside another) and an instance. */
const scenario = node
  .filter((root) => root.schema["type"] === "object")
  .chain((root) =>
    fc.record({
      root: fc.constant(root),
      pii: fc.subarray(root.paths.filter((p) => p.length > 0)).map((chosen) => chosen.filter((p) => !chosen.some((q) => q !== p && isPrefix(q, p)))),
      data: root.instance,
      seed: fc.nat(),
    }),
  );

describe("readSchema (property)", () => {
  it("admits the marker exactly at personal-data values", () => {
    fc.assert(
      fc.property(scenario, ({ root, pii, data, seed }) => {
        const fields: PiiField[] = pii.map((p) => ({ path: `/${p.join("/")}`, subject: "/x" }));
        const read = readSchema(root.schema, fields, ERASED_MARKER_SCHEMA);
        const zod = evaluateZod(printZodExpression(read));
        const accepts = (value: JsonValue): boolean => {
          const ajv = isValid(read, value);
          expect(zod.safeParse(value).success).toBe(ajv);
          return ajv;
        };
        expect(accepts(data)).toBe(true);
        // Erase a pseudo-random subset of the personal-data values.
        const piiLocations = pii.flatMap((p) => locate(data, p));
        const erased = piiLocations.filter((_, index) => ((seed >> index % 30) & 1) === 1).reduce<JsonValue>((value, location) => replaceAt(value, location, ERASED), data);
        expect(accepts(erased)).toBe(true);
        // Any other value that is not inside personal data must refuse the marker.
        const others = root.paths
          .filter((p) => p.length > 0 && !pii.some((q) => isPrefix(q, p)))
          .flatMap((p) => locate(data, p));
        for (const location of others) expect(accepts(replaceAt(data, location, ERASED))).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
