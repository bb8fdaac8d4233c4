import { describe, expect, it } from "vitest";

import { closedObject } from "../check/testing/event-fixture.js";
import type { JsonSchemaObject } from "../model/catalog-model.js";
import { diffSchemas } from "./diff-schemas.js";
import type { SchemaChange } from "./schema-change.js";

type Expected = Pick<SchemaChange, "kind" | "pointer" | "backward" | "forward"> & { derived?: SchemaChange["derivable"] };

interface Case {
  readonly name: string;
  readonly older: JsonSchemaObject;
  readonly newer: JsonSchemaObject;
  readonly expected: readonly Expected[];
}

const str = { type: "string" };
const int = { type: "integer" };
const open = (properties: Record<string, JsonSchemaObject>, required: string[] = []): JsonSchemaObject => ({ type: "object", properties, required });
const field = (schema: JsonSchemaObject): JsonSchemaObject => closedObject({ id: str, x: schema }, ["id"]);

const cases: readonly Case[] = [
  // properties, closed content model
  { name: "optional property added (closed)", older: closedObject({ id: str }), newer: closedObject({ id: str, note: str }, ["id"]), expected: [{ kind: "property-added", pointer: "/note", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "required property added with default", older: closedObject({ id: str }), newer: closedObject({ id: str, cur: { type: "string", default: "EUR" } }), expected: [{ kind: "property-added", pointer: "/cur", backward: "breaking", forward: "breaking", derived: [{ op: "set-default", path: "/cur", value: "EUR" }] }] },
  { name: "required property added without default", older: closedObject({ id: str }), newer: closedObject({ id: str, src: str }), expected: [{ kind: "property-added", pointer: "/src", backward: "breaking", forward: "breaking", derived: null }] },
  { name: "optional property removed (closed)", older: closedObject({ id: str, note: str }, ["id"]), newer: closedObject({ id: str }), expected: [{ kind: "property-removed", pointer: "/note", backward: "breaking", forward: "compatible", derived: [{ op: "remove", path: "/note" }] }] },
  { name: "required property removed (closed)", older: closedObject({ id: str, note: str }), newer: closedObject({ id: str }), expected: [{ kind: "property-removed", pointer: "/note", backward: "breaking", forward: "breaking", derived: [{ op: "remove", path: "/note" }] }] },
  { name: "property renamed via x-renamed-from", older: closedObject({ id: str, name: str }), newer: closedObject({ id: str, fullName: { type: "string", "x-renamed-from": "name" } }), expected: [{ kind: "property-renamed", pointer: "/fullName", backward: "breaking", forward: "breaking", derived: [{ op: "rename", path: "/name", to: "fullName" }] }] },
  // properties, open content model (Strata's rule: undeclared names were never written)
  { name: "optional property added (open)", older: open({ id: str }), newer: open({ id: str, note: str }), expected: [{ kind: "property-added", pointer: "/note", backward: "compatible", forward: "compatible", derived: [] }] },
  { name: "optional property removed (open)", older: open({ id: str, note: str }), newer: open({ id: str }), expected: [{ kind: "property-removed", pointer: "/note", backward: "compatible", forward: "compatible", derived: [{ op: "remove", path: "/note" }] }] },
  // required
  { name: "required added", older: closedObject({ id: str, note: str }, ["id"]), newer: closedObject({ id: str, note: str }), expected: [{ kind: "required-added", pointer: "/note", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "required added with a default", older: closedObject({ id: str, n: int }, ["id"]), newer: closedObject({ id: str, n: { type: "integer", default: 0 } }), expected: [{ kind: "required-added", pointer: "/n", backward: "breaking", forward: "compatible", derived: [{ op: "set-default", path: "/n", value: 0 }] }] },
  { name: "required removed", older: closedObject({ id: str, note: str }), newer: closedObject({ id: str, note: str }, ["id"]), expected: [{ kind: "required-removed", pointer: "/note", backward: "compatible", forward: "breaking", derived: [] }] },
  // types
  { name: "integer widened to number", older: field(int), newer: field({ type: "number" }), expected: [{ kind: "type-widened", pointer: "/x", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "number narrowed to integer", older: field({ type: "number" }), newer: field(int), expected: [{ kind: "type-narrowed", pointer: "/x", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "null added", older: field(str), newer: field({ type: ["string", "null"] }), expected: [{ kind: "type-widened", pointer: "/x", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "null removed", older: field({ type: ["string", "null"] }), newer: field(str), expected: [{ kind: "type-narrowed", pointer: "/x", backward: "breaking", forward: "compatible", derived: null }] },
  {
    name: "string replaced by integer",
    older: field(str),
    newer: field(int),
    expected: [
      { kind: "type-widened", pointer: "/x", backward: "compatible", forward: "breaking" },
      { kind: "type-narrowed", pointer: "/x", backward: "breaking", forward: "compatible" },
    ],
  },
  // enum and const
  { name: "enum values added", older: field({ enum: ["a", "b"] }), newer: field({ enum: ["a", "b", "c"] }), expected: [{ kind: "enum-values-added", pointer: "/x", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "enum values removed", older: field({ enum: ["a", "b"] }), newer: field({ enum: ["a"] }), expected: [{ kind: "enum-values-removed", pointer: "/x", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "const changed", older: field({ const: "v1" }), newer: field({ const: "v2" }), expected: [{ kind: "const-changed", pointer: "/x", backward: "breaking", forward: "breaking", derived: null }] },
  { name: "enum added to a free string", older: field(str), newer: field({ type: "string", enum: ["a"] }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  // numeric bounds, exclusive forms compared as one bound
  { name: "minimum raised", older: field({ type: "number", minimum: 1 }), newer: field({ type: "number", minimum: 5 }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "maximum raised", older: field({ type: "number", maximum: 10 }), newer: field({ type: "number", maximum: 20 }), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "minimum made exclusive", older: field({ type: "number", minimum: 0 }), newer: field({ type: "number", exclusiveMinimum: 0 }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "exclusiveMaximum dropped", older: field({ type: "number", exclusiveMaximum: 100 }), newer: field({ type: "number" }), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking" }] },
  { name: "integer minimum 1 equals exclusiveMinimum 0", older: field({ type: "integer", minimum: 1 }), newer: field({ type: "integer", exclusiveMinimum: 0 }), expected: [] },
  // lengths and counts
  { name: "maxLength lowered", older: field({ type: "string", maxLength: 140 }), newer: field({ type: "string", maxLength: 100 }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "minLength lowered", older: field({ type: "string", minLength: 3 }), newer: field({ type: "string", minLength: 1 }), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking" }] },
  { name: "minItems added", older: field({ type: "array", items: str }), newer: field({ type: "array", items: str, minItems: 1 }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "maxItems removed", older: field({ type: "array", items: str, maxItems: 3 }), newer: field({ type: "array", items: str }), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking" }] },
  { name: "uniqueItems added", older: field({ type: "array", items: str }), newer: field({ type: "array", items: str, uniqueItems: true }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  // pattern, format, multipleOf
  { name: "pattern added", older: field(str), newer: field({ type: "string", pattern: "^[A-Z]+$" }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "pattern changed", older: field({ type: "string", pattern: "^a" }), newer: field({ type: "string", pattern: "^b" }), expected: [{ kind: "constraint-changed", pointer: "/x", backward: "breaking", forward: "breaking", derived: null }] },
  { name: "format removed", older: field({ type: "string", format: "email" }), newer: field(str), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking" }] },
  { name: "multipleOf 5 → 10", older: field({ type: "integer", multipleOf: 5 }), newer: field({ type: "integer", multipleOf: 10 }), expected: [{ kind: "constraint-tightened", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "multipleOf 10 → 5", older: field({ type: "integer", multipleOf: 10 }), newer: field({ type: "integer", multipleOf: 5 }), expected: [{ kind: "constraint-loosened", pointer: "/x", backward: "compatible", forward: "breaking" }] },
  { name: "multipleOf 2 → 3", older: field({ type: "integer", multipleOf: 2 }), newer: field({ type: "integer", multipleOf: 3 }), expected: [{ kind: "constraint-changed", pointer: "/x", backward: "breaking", forward: "breaking" }] },
  // additionalProperties
  { name: "additionalProperties opened", older: closedObject({ id: str }), newer: open({ id: str }, ["id"]), expected: [{ kind: "additional-properties-opened", pointer: "", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "additionalProperties closed", older: open({ id: str }, ["id"]), newer: closedObject({ id: str }), expected: [{ kind: "additional-properties-closed", pointer: "", backward: "breaking", forward: "compatible", derived: null }] },
  // nesting: objects and arrays
  { name: "nested object property added with default", older: field(closedObject({ a: str })), newer: field(closedObject({ a: str, b: { type: "boolean", default: false } })), expected: [{ kind: "property-added", pointer: "/x/b", backward: "breaking", forward: "breaking", derived: [{ op: "set-default", path: "/x/b", value: false }] }] },
  { name: "array item property removed", older: field({ type: "array", items: closedObject({ a: str, b: str }) }), newer: field({ type: "array", items: closedObject({ a: str }) }), expected: [{ kind: "property-removed", pointer: "/x/*/b", backward: "breaking", forward: "breaking", derived: [{ op: "remove", path: "/x/*/b" }] }] },
  { name: "prefixItems position narrowed", older: field({ type: "array", prefixItems: [{ type: "number" }, str] }), newer: field({ type: "array", prefixItems: [int, str] }), expected: [{ kind: "type-narrowed", pointer: "/x/0", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "prefixItems position added over items", older: field({ type: "array", items: str }), newer: field({ type: "array", prefixItems: [{ type: "string", minLength: 2 }], items: str }), expected: [{ kind: "constraint-tightened", pointer: "/x/0", backward: "breaking", forward: "compatible" }] },
  // branches
  { name: "anyOf branch added", older: field({ anyOf: [str, int] }), newer: field({ anyOf: [str, int, { type: "null" }] }), expected: [{ kind: "branch-added", pointer: "/x", backward: "compatible", forward: "breaking", derived: [] }] },
  { name: "oneOf branch removed", older: field({ oneOf: [str, int] }), newer: field({ oneOf: [str] }), expected: [{ kind: "branch-removed", pointer: "/x", backward: "breaking", forward: "compatible", derived: null }] },
  { name: "allOf branch added", older: field({ allOf: [{ maxLength: 5 }, { maxLength: 4 }] }), newer: field({ allOf: [{ maxLength: 5 }, { maxLength: 4 }, { maxLength: 3 }] }), expected: [{ kind: "branch-added", pointer: "/x", backward: "breaking", forward: "compatible" }] },
  { name: "anyOf branch changed in place", older: field({ anyOf: [closedObject({ a: str }), int] }), newer: field({ anyOf: [closedObject({ a: str, b: { type: "string", default: "z" } }), int] }), expected: [{ kind: "property-added", pointer: "/x/b", backward: "breaking", forward: "breaking", derived: null }] },
];

describe("diffSchemas: one case per change kind and verdict", () => {
  it.each(cases)("$name", ({ older, newer, expected }) => {
    const changes = diffSchemas(older, newer);
    expect(changes.map((c) => ({ kind: c.kind, pointer: c.pointer, backward: c.backward, forward: c.forward }))).toEqual(
      expected.map((e) => ({ kind: e.kind, pointer: e.pointer, backward: e.backward, forward: e.forward })),
    );
    expected.forEach((e, index) => {
      if (e.derived !== undefined) expect(changes[index]?.derivable).toEqual(e.derived);
    });
    for (const change of changes) expect(change.detail.length).toBeGreaterThan(0);
  });
});

describe("diffSchemas: $ref", () => {
  const currency = { type: "string", enum: ["EUR", "USD"] };
  const base = "https://strata.dev/schemas/shop/Paid/";
  const raw = (version: number, ref: string): JsonSchemaObject => ({ $id: `${base}v${version}.json`, ...closedObject({ id: str, cur: { $ref: ref } }) });

  it("compares a $ref with sibling keywords like the inline schema it resolves to", () => {
    const older = closedObject({ id: str, cur: currency });
    const newer = closedObject({ id: str, cur: { allOf: [currency], default: "EUR", description: "resolved from a $ref" } });
    expect(diffSchemas(older, newer)).toEqual([]);
  });

  it("reports a changed $ref target, and what the new target changes", () => {
    const wider = { type: "string", enum: ["EUR", "USD", "GBP"] };
    const changes = diffSchemas(closedObject({ id: str, cur: currency }), closedObject({ id: str, cur: wider }), {
      raw: { older: raw(1, "../_defs/money.json#/$defs/currency"), newer: raw(2, "../_defs/money2.json#/$defs/currency") },
    });
    expect(changes.map((c) => [c.kind, c.pointer, c.backward, c.forward])).toEqual([
      ["ref-target-changed", "/cur", "compatible", "compatible"],
      ["enum-values-added", "/cur", "compatible", "breaking"],
    ]);
    expect(changes[0]?.detail).toContain("https://strata.dev/schemas/shop/_defs/money2.json#/$defs/currency");
  });

  it("does not report the same relative $ref in two versions as a change", () => {
    const schema = closedObject({ id: str, cur: currency });
    const ref = "../_defs/money.json#/$defs/currency";
    expect(diffSchemas(schema, schema, { raw: { older: raw(1, ref), newer: raw(2, ref) } })).toEqual([]);
  });

  it("reports an inline schema replaced by a $ref", () => {
    const inline: JsonSchemaObject = { $id: `${base}v1.json`, ...closedObject({ id: str, cur: currency }) };
    const changes = diffSchemas(closedObject({ id: str, cur: currency }), closedObject({ id: str, cur: currency }), {
      raw: { older: inline, newer: raw(2, "../_defs/money.json#/$defs/currency") },
    });
    expect(changes.map((c) => [c.kind, c.detail])).toEqual([["ref-target-changed", "inline schema → $ref https://strata.dev/schemas/shop/_defs/money.json#/$defs/currency"]]);
  });
});

describe("diffSchemas: derived operations", () => {
  it("renames before it fills a defaulted field that became required", () => {
    const older = closedObject({ id: str, nick: str }, ["id"]);
    const newer = closedObject({ id: str, alias: { type: "string", "x-renamed-from": "nick", default: "" } });
    const [change] = diffSchemas(older, newer);
    expect(change?.derivable).toEqual([
      { op: "rename", path: "/nick", to: "alias" },
      { op: "set-default", path: "/alias", value: "" },
    ]);
  });

  it("does not derive operations below a branch, where the path depends on the instance", () => {
    const older = field({ oneOf: [closedObject({ a: str }), int] });
    const newer = field({ oneOf: [closedObject({ a: str, b: { type: "string", default: "z" } }), int] });
    expect(diffSchemas(older, newer)[0]?.derivable).toBeNull();
  });

  it("escapes property names in pointers", () => {
    const changes = diffSchemas(closedObject({ id: str }), closedObject({ id: str, "a/b~c": str }, ["id"]));
    expect(changes[0]?.pointer).toBe("/a~1b~0c");
  });
});
