// Read-your-writes on request: `Prefer: wait=N` on a write endpoint, on PGlite and PostgreSQL.
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preferredWait } from "../src/http/consistent-read.js";
import { call, customerWithAccount } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

describe("Prefer: wait", () => {
  it("is read from the header as seconds, capped", () => {
    expect(preferredWait("wait=2")).toBe(2);
    expect(preferredWait("respond-async, wait=5")).toBe(5);
    expect(preferredWait(["return=minimal", "wait=99"])).toBe(10);
    expect(preferredWait("return=minimal")).toBeUndefined();
    expect(preferredWait(undefined)).toBeUndefined();
  });
});

describeEachBackend("consistent reads", (backend) => {
  let t: TestApp;
  let stalled: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
    stalled = await openTestApp(backend, { runProjections: false });
  });
  afterAll(async () => {
    await t.close();
    await stalled.close();
  });

  it("answer a write asked with Prefer: wait=2 once the read models show it", async () => {
    const { customerId, accountId } = await customerWithAccount(t.app);
    for (let round = 1; round <= 3; round += 1) {
      const deposit = await call(t.app, "POST", `/accounts/${accountId}/deposits`, {
        body: { money: { amountMinor: 100, currency: "EUR" }, source: "cash" },
        headers: { prefer: "wait=2" },
      });
      expect(deposit.status).toBe(200);
      expect(deposit.headers["preference-applied"]).toBe("wait=2");
      const balances = await call<{ items: { accountId: string; balanceMinor: number }[] }>(t.app, "GET", `/balances?customerId=${customerId}`);
      expect(balances.body.items.find((item) => item.accountId === accountId)?.balanceMinor).toBe(100 * round);
    }
  });

  it("answer anyway, marked pending, when the read models do not catch up in time; without Prefer nothing waits", async () => {
    const { accountId } = await customerWithAccount(stalled.app);
    const waited = await call(stalled.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 100, currency: "EUR" }, source: "cash" }, headers: { prefer: "wait=1" } });
    expect(waited.status).toBe(200);
    expect(waited.headers["preference-applied"]).toBeUndefined();
    expect(waited.headers["read-models"]).toBe("pending");
    const plain = await call(stalled.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 100, currency: "EUR" }, source: "cash" } });
    expect(plain.status).toBe(200);
    expect(plain.headers["read-models"]).toBeUndefined();
  });
});
