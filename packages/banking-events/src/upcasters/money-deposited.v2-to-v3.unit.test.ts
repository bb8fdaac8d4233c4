import { describe, expect, it } from "vitest";

import { bankingRegistry, moneyDepositedV3Schema } from "../index.js";
import { upcastMoneyDepositedV2ToV3 } from "./money-deposited.v2-to-v3.js";

const context = { eventId: "e1", streamId: "account-1", recordedAt: new Date("2024-01-01T00:00:00Z"), metadata: {} };
const accountId = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("upcastMoneyDepositedV2ToV3", () => {
  it("moves amount and currency into money and marks the source unknown", () => {
    expect(upcastMoneyDepositedV2ToV3({ accountId, amount: 250, currency: "USD" }, context)).toEqual({
      accountId,
      money: { amountMinor: 250, currency: "USD" },
      source: "unknown",
    });
  });

  it("with the derived v1→v2 step, turns every stored v1 event into valid v3 data", () => {
    const steps = bankingRegistry.events["MoneyDeposited"]?.upcasters ?? [];
    const upcast = steps.reduce<unknown>((data, step) => step.upcast(data, context), { accountId, amount: 500 });
    expect(upcast).toEqual({ accountId, money: { amountMinor: 500, currency: "EUR" }, source: "unknown" });
    expect(moneyDepositedV3Schema.safeParse(upcast).success).toBe(true);
  });
});
