import { describe, expect, it } from "vitest";
import { ledgerDecider } from "../aggregate/testing/ledger-decider.js";
import type { LedgerEvent } from "../aggregate/testing/ledger-decider.js";
import { assertDeepEqual } from "./assert-deep-equal.js";
import { given } from "./decider-spec.js";

const ledger = ledgerDecider();
const at = "2026-01-01T00:00:00.000Z";
const credited = (amount: number, from = "a"): LedgerEvent => ({ type: "Credited", data: { amount, from, at } });

function failure(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the spec to fail");
}

describe("given/when/then", () => {
  it("passes when the decided events are the expected ones", () => {
    given(ledger, [credited(10)]).when({ type: "Debit", amount: 4, to: "b" }).then([{ type: "Debited", data: { amount: 4, to: "b", at } }]);
    given(ledger, []).when({ type: "Tag", tag: "x" }).then([{ type: "Tagged", data: { tag: "x" } }]);
  });

  it("passes on the expected domain error, by code or whole", () => {
    given(ledger, [credited(10)]).when({ type: "Debit", amount: 11, to: "b" }).then("insufficient_funds");
    given(ledger, [credited(10)]).when({ type: "Debit", amount: 11, to: "b" }).then({ code: "insufficient_funds", balance: 10n });
  });

  it("fails with a readable diff naming the differing field", () => {
    const error = failure(() => given(ledger, [credited(10)]).when({ type: "Debit", amount: 4, to: "b" }).then([{ type: "Debited", data: { amount: 5, to: "b", at } }]));
    expect(error.name).toBe("AssertionError");
    expect(error.message).toContain("ledger: given 1 event(s), the command was decided as 1 event(s); expected these events:");
    expect(error.message).toMatch(/\+\s+amount: 4/);
    expect(error.message).toMatch(/-\s+amount: 5/);
  });

  it("fails when events were expected but the command was rejected, and the reverse", () => {
    const rejected = failure(() => given(ledger, []).when({ type: "Debit", amount: 1, to: "b" }).then([]));
    expect(rejected.message).toContain("decided as a rejection");
    expect(rejected.message).toContain("insufficient_funds");
    const accepted = failure(() => given(ledger, [credited(5)]).when({ type: "Debit", amount: 1, to: "b" }).then("insufficient_funds"));
    expect(accepted.message).toContain("expected a rejection with this code");
    const wrongCode = failure(() => given(ledger, [credited(5)]).when({ type: "Credit", amount: 0, from: "b" }).then({ code: "closed" }));
    expect(wrongCode.message).toMatch(/invalid_amount/);
  });

  it("explains itself when awaited by mistake", async () => {
    const spec = given(ledger, []).when({ type: "Tag", tag: "x" });
    await expect((async () => await (spec as unknown as Promise<void>))()).rejects.toThrow(/not a promise/);
  });

  it("assertDeepEqual compares Map, Set, bigint and Date by value", () => {
    assertDeepEqual({ m: new Map([["a", 1n]]), s: new Set([1]), d: new Date(0) }, { m: new Map([["a", 1n]]), s: new Set([1]), d: new Date(0) }, "same");
    expect(() => assertDeepEqual(new Map([["a", 1n]]), new Map([["a", 2n]]), "balances differ")).toThrow(/balances differ[\s\S]*2n/);
  });
});
