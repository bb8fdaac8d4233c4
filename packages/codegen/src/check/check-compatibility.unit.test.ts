import { describe, expect, it } from "vitest";

import type { UpcasterInspection } from "../upcasters/inspect-upcaster.js";
import { planUpcasters } from "../upcasters/plan.js";
import { checkCompatibility } from "./check-compatibility.js";
import { closedObject, eventFixture } from "./testing/event-fixture.js";

const str = { type: "string" };
const v1 = closedObject({ id: str, amount: { type: "integer" } });
const v2 = closedObject({ id: str, amount: { type: "integer" }, currency: { type: "string", default: "EUR" } });
const v3 = closedObject({ id: str, money: closedObject({ minor: { type: "integer" }, currency: str }) });
const paid = eventFixture("Paid", [v1, v2, v3]);
const plans = planUpcasters(paid);
const file = "upcasters/paid.v2-to-v3.ts";
const inspected = (status: UpcasterInspection["status"]): ReadonlyMap<string, UpcasterInspection> =>
  new Map([[file, status === "ok" ? { status } : { status, detail: `${status} detail` }]]);
const options = { packageDirectory: "packages/shop-events" };

describe("checkCompatibility", () => {
  it("accepts BACKWARD breaks that upcasters bridge, and compares neighbours only without _TRANSITIVE", () => {
    const result = checkCompatibility(paid, "BACKWARD", plans, { ...options, inspections: inspected("ok") });
    expect(result.problems).toEqual([]);
    expect(result.pairs.map((p) => [p.from, p.to, p.backward, p.forward, p.bridged])).toEqual([
      [1, 2, "breaking", "breaking", true],
      [2, 3, "breaking", "breaking", true],
    ]);
    expect(result.steps.map((s) => s.status)).toEqual(["derived", "ok"]);
  });

  it("compares every pair under a _TRANSITIVE mode", () => {
    const result = checkCompatibility(paid, "BACKWARD_TRANSITIVE", plans, { ...options, inspections: inspected("ok") });
    expect(result.pairs.map((p) => `${p.from}-${p.to}`)).toEqual(["1-2", "2-3", "1-3"]);
    expect(result.pairs.at(-1)?.bridged).toBe(true);
  });

  it("fails a step without its hand-written upcaster, naming the schema file and pointer", () => {
    const result = checkCompatibility(paid, "NONE", plans, options);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: "upcaster-missing", event: "shop/Paid", file: "schemas/shop/Paid/v3.json", pointer: "/properties/money" });
    expect(result.problems[0]?.message).toContain("packages/shop-events/src/upcasters/paid.v2-to-v3.ts");
    expect(result.pairs[1]?.bridged).toBe(false);
  });

  it("fails an unfilled scaffold and a wrong signature, naming the upcaster file", () => {
    const unfilled = checkCompatibility(paid, "BACKWARD", plans, { ...options, inspections: inspected("unfilled") });
    expect(unfilled.problems.map((p) => [p.code, p.file])).toEqual([["upcaster-unfilled", "packages/shop-events/src/upcasters/paid.v2-to-v3.ts"]]);
    const wrong = checkCompatibility(paid, "BACKWARD", plans, { ...options, inspections: inspected("wrong-signature") });
    expect(wrong.problems.map((p) => p.code)).toEqual(["upcaster-wrong-signature"]);
  });

  it("fails FORWARD breaks under FORWARD and FULL modes with a witness event, even when upcasters exist", () => {
    for (const mode of ["FORWARD", "FULL"] as const) {
      const result = checkCompatibility(paid, mode, plans, { ...options, inspections: inspected("ok") });
      expect(result.problems.every((p) => p.code === "mode-violated")).toBe(true);
      expect(result.problems.map((p) => [p.file, p.pointer])).toContainEqual(["schemas/shop/Paid/v2.json", "/properties/currency"]);
      expect(result.problems[0]?.message).toContain('this v2 event fails v1: {"id":"","amount":0,"currency":""}, at /currency');
    }
  });

  it("does not repeat a neighbour's FORWARD break for a distant pair", () => {
    const result = checkCompatibility(paid, "FORWARD_TRANSITIVE", plans, { ...options, inspections: inspected("ok") });
    expect(result.pairs.map((p) => `${p.from}-${p.to}:${p.forward}`)).toEqual(["1-2:breaking", "2-3:breaking", "1-3:breaking"]);
    expect(result.problems.map((p) => p.message.split(" ")[0])).toEqual(["v1→v2", "v2→v3"]);
  });

  it("judges narrowing chains FORWARD-compatible and widening chains BACKWARD-compatible, every pair", () => {
    // Inclusion is transitive, so a distant pair breaks only where a neighbour does.
    const wide = closedObject({ n: { type: "integer", minimum: 0, maximum: 10 } });
    const middle = closedObject({ n: { type: "integer", minimum: 0, maximum: 5 } });
    const narrow = closedObject({ n: { type: "integer", minimum: 3, maximum: 5 } });
    const narrowing = eventFixture("Counted", [wide, middle, narrow]);
    const forward = checkCompatibility(narrowing, "FORWARD_TRANSITIVE", planUpcasters(narrowing));
    expect(forward.pairs.map((p) => `${p.from}-${p.to}:${p.forward}/${p.backward}`)).toEqual(["1-2:compatible/breaking", "2-3:compatible/breaking", "1-3:compatible/breaking"]);
    expect(forward.problems.filter((p) => p.code === "mode-violated")).toEqual([]);
    const widening = eventFixture("Counted", [narrow, middle, wide]);
    const backward = checkCompatibility(widening, "FULL_TRANSITIVE", planUpcasters(widening));
    expect(backward.pairs.map((p) => `${p.from}-${p.to}:${p.backward}`)).toEqual(["1-2:compatible", "2-3:compatible", "1-3:compatible"]);
    expect(backward.problems.map((p) => p.message.split(" ")[0])).toEqual(["v1→v2", "v2→v3"]);
    expect(backward.steps.map((step) => step.status)).toEqual(["derived", "derived"]);
  });

  it("passes an evolution that keeps the set of events under FULL_TRANSITIVE", () => {
    // A property that can never be present, dropped: the same instances (a case from the issue).
    const v1Schema = { type: "object", properties: { id: str, foo: false }, required: ["id"], additionalProperties: false };
    const v2Schema = { type: "object", properties: { id: str }, required: ["id"], additionalProperties: false };
    const event = eventFixture("Noted", [v1Schema, v2Schema]);
    const result = checkCompatibility(event, "FULL_TRANSITIVE", planUpcasters(event));
    expect(result.pairs.map((p) => [p.backward, p.forward])).toEqual([["compatible", "compatible"]]);
    expect(result.problems).toEqual([]);
  });
});
