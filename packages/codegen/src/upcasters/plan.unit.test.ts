import { describe, expect, it } from "vitest";

import { closedObject, eventFixture } from "../check/testing/event-fixture.js";
import { planUpcasters } from "./plan.js";

const str = { type: "string" };

describe("planUpcasters", () => {
  const v1 = closedObject({ accountId: { type: "string", format: "uuid" }, amount: { type: "integer", minimum: 1 } });
  const v2 = closedObject({ accountId: { type: "string", format: "uuid" }, amount: { type: "integer", minimum: 1 }, currency: { type: "string", enum: ["EUR", "USD"], default: "EUR" } });
  const v3 = closedObject({ accountId: { type: "string", format: "uuid" }, money: closedObject({ amountMinor: { type: "integer" }, currency: str }), source: str });

  it("derives a step whose changes are all mechanical, and hands the others to a developer", () => {
    expect(planUpcasters(eventFixture("MoneyDeposited", [v1, v2, v3]))).toEqual([
      { kind: "derived", type: "MoneyDeposited", from: 1, to: 2, operations: [{ op: "set-default", path: "/currency", value: "EUR" }] },
      {
        kind: "hand-written",
        type: "MoneyDeposited",
        from: 2,
        to: 3,
        file: "upcasters/money-deposited.v2-to-v3.ts",
        exportName: "upcastMoneyDepositedV2ToV3",
      },
    ]);
  });

  it("derives a step with no operation for a pure widening, and nothing for a single version", () => {
    const narrow = closedObject({ n: { type: "integer" } });
    const wide = closedObject({ n: { type: "number" } });
    expect(planUpcasters(eventFixture("Counted", [narrow, wide]))).toEqual([{ kind: "derived", type: "Counted", from: 1, to: 2, operations: [] }]);
    expect(planUpcasters(eventFixture("Counted", [narrow]))).toEqual([]);
  });

  it("hands a narrowed type to a developer", () => {
    const plan = planUpcasters(eventFixture("Counted", [closedObject({ n: { type: "number" } }), closedObject({ n: { type: "integer" } })]));
    expect(plan[0]?.kind).toBe("hand-written");
  });
});
