import { describe, expect, it } from "vitest";

import type { JsonSchemaObject } from "../model/catalog-model.js";
import { isValid } from "../upcasters/testing/test-validator.js";
import { judgeInclusion } from "./judge-inclusion.js";
import { CHANGE_CASES } from "./testing/change-cases.js";

const asObject = (schema: unknown): JsonSchemaObject => (typeof schema === "boolean" ? (schema ? {} : { not: {} }) : (schema as JsonSchemaObject));

describe.each(CHANGE_CASES)("$name", ({ v1, v2, backward, forward }) => {
  for (const [mode, from, to, expected, writer, reader] of [
    ["BACKWARD", v1, v2, backward, "v1", "v2"],
    ["FORWARD", v2, v1, forward, "v2", "v1"],
  ] as const) {
    it(`${mode}: ${expected}`, () => {
      const verdict = judgeInclusion(from, to);
      expect(verdict.verdict).toBe(expected);
      if (verdict.verdict !== "breaking") return;
      // The witness holds under an independent validator too: a ${writer} instance ${reader} rejects.
      expect(isValid(asObject(from), verdict.witness.instance), `${writer} accepts the witness`).toBe(true);
      expect(isValid(asObject(to), verdict.witness.instance), `${reader} rejects the witness`).toBe(false);
    });
  }
  it("FULL: both directions", () => {
    const full = judgeInclusion(v1, v2).verdict === "compatible" && judgeInclusion(v2, v1).verdict === "compatible";
    expect(full).toBe(backward === "compatible" && forward === "compatible");
  });
});

describe("judgeInclusion witnesses", () => {
  it("points at the property that fails (issue 1a)", () => {
    const verdict = judgeInclusion({ type: "object", additionalProperties: { type: "string" } }, { type: "object", additionalProperties: { type: "string" }, properties: { bar: { type: "number" } } });
    expect(verdict).toMatchObject({ verdict: "breaking", witness: { instance: { bar: "" }, pointer: "/bar" } });
  });

  it("points at a missing required property", () => {
    const verdict = judgeInclusion({ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { a: { type: "string" } }, required: ["a"] });
    expect(verdict).toMatchObject({ verdict: "breaking", witness: { instance: {}, pointer: "/a" } });
  });

  it("intersects enum and const values whatever the order of their keys", () => {
    const old = { allOf: [{ enum: [{ a: 1, b: 2 }] }, { const: { b: 2, a: 1 } }] };
    expect(judgeInclusion(old, { type: "string" }).verdict).toBe("breaking");
  });

  it("compares the identical schema as compatible whatever it contains", () => {
    const schema = { type: "string", pattern: "^(a+)b\\1$" };
    expect(judgeInclusion(schema, { ...schema }).verdict).toBe("compatible");
  });
});
