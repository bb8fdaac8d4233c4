// The upcasters of the releases that bounded amounts and free text: data within the bounds passes
// unchanged, data recorded beyond them keeps its value (money and personal data are never rewritten).
import { describe, expect, it } from "vitest";
import { bankingRegistry, moneyDepositedV4Schema, transferInitiatedV2Schema } from "../index.js";
import { upcastAccountOpenedV1ToV2 } from "./account-opened.v1-to-v2.js";
import { upcastCustomerRegisteredV1ToV2 } from "./customer-registered.v1-to-v2.js";
import { upcastMoneyDepositedV3ToV4 } from "./money-deposited.v3-to-v4.js";
import { upcastMoneyWithdrawnV1ToV2 } from "./money-withdrawn.v1-to-v2.js";
import { upcastTransferCompletedV1ToV2 } from "./transfer-completed.v1-to-v2.js";
import { upcastTransferInitiatedV1ToV2 } from "./transfer-initiated.v1-to-v2.js";

const context = { eventId: "e1", streamId: "account-1", recordedAt: new Date("2024-01-01T00:00:00Z"), metadata: {} };
const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
const huge = { amountMinor: 1e15, currency: "EUR" as const };

describe("bounds upcasters", () => {
  it("pass data within the bounds unchanged, and valid at the new version", () => {
    const deposit = { accountId: id, money: { amountMinor: 500, currency: "EUR" as const }, source: "cash" as const };
    expect(upcastMoneyDepositedV3ToV4(deposit, context)).toEqual(deposit);
    expect(moneyDepositedV4Schema.safeParse(upcastMoneyDepositedV3ToV4(deposit, context)).success).toBe(true);
    const initiated = { transferId: id, fromAccountId: id, toAccountId: id, fromCustomerId: id, toCustomerId: id, money: deposit.money, payerName: "A", payeeName: "B" };
    expect(transferInitiatedV2Schema.safeParse(upcastTransferInitiatedV1ToV2(initiated, context)).success).toBe(true);
  });

  it("keep amounts, limits and personal data recorded beyond today's bounds as they were", () => {
    expect(upcastMoneyDepositedV3ToV4({ accountId: id, money: huge, source: "card" }, context).money).toEqual(huge);
    expect(upcastMoneyWithdrawnV1ToV2({ accountId: id, money: huge }, context).money).toEqual(huge);
    expect(upcastTransferCompletedV1ToV2({ transferId: id, fromAccountId: id, toAccountId: id, money: huge }, context).money).toEqual(huge);
    expect(upcastAccountOpenedV1ToV2({ accountId: id, customerId: id, currency: "EUR", overdraftLimitMinor: 1e15 }, context).overdraftLimitMinor).toBe(1e15);
    const street = "x".repeat(500);
    const customer = { customerId: id, name: "N", email: "n@example.org", address: { street, city: "c", postalCode: "1", country: "DE" } };
    expect(upcastCustomerRegisteredV1ToV2(customer, context).address).toEqual(customer.address);
  });

  it("chain MoneyDeposited v1 → v4 through every step", () => {
    const steps = bankingRegistry.events["MoneyDeposited"]?.upcasters ?? [];
    expect(steps.map((step) => `${step.from}→${step.to}`)).toEqual(["1→2", "2→3", "3→4"]);
    const upcast = steps.reduce<unknown>((data, step) => step.upcast(data, context), { accountId: id, amount: 500 });
    expect(moneyDepositedV4Schema.safeParse(upcast).success).toBe(true);
  });

  it("v4 refuses an amount beyond the bound, naming the field", () => {
    const result = moneyDepositedV4Schema.safeParse({ accountId: id, money: { amountMinor: 1e20, currency: "EUR" }, source: "cash" });
    expect(result.success).toBe(false);
    expect([...new Set(result.error?.issues.map((issue) => issue.path.join(".")))]).toEqual(["money.amountMinor"]);
  });
});
