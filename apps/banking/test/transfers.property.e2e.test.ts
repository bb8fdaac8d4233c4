// 16 concurrent random transfers over HTTP keep the total of all balances constant, and every
// account's history stays complete (versions without gaps, read model equal to the stream).
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { call, customerWithAccount } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const ACCOUNTS = 5;
// `to` is an offset from `from`, so payer and payee always differ (same-account transfers are a 422 of their own).
const transferArbitrary = fc
  .record({ from: fc.nat({ max: ACCOUNTS - 1 }), offset: fc.integer({ min: 1, max: ACCOUNTS - 1 }), amountMinor: fc.integer({ min: 1, max: 4_000 }) })
  .map(({ from, offset, amountMinor }) => ({ from, to: (from + offset) % ACCOUNTS, amountMinor }));

describeEachBackend("concurrent transfers", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("keep the total constant and every history complete", { timeout: 480_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: ACCOUNTS, maxLength: ACCOUNTS }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: ACCOUNTS, maxLength: ACCOUNTS }),
        fc.array(transferArbitrary, { minLength: 16, maxLength: 16 }),
        fc.nat({ max: ACCOUNTS - 1 }),
        async (deposits, overdrafts, transfers, frozen) => {
          const accounts: string[] = [];
          for (const [index, depositMinor] of deposits.entries()) {
            accounts.push((await customerWithAccount(t.app, { depositMinor, overdraftLimitMinor: overdrafts[index] ?? 0 })).accountId);
          }
          // One frozen account makes some credits fail, so compensation runs under concurrency too.
          await call(t.app, "POST", `/accounts/${accounts[frozen] ?? ""}/freeze`, { body: { reason: "Property test" } });
          const total = deposits.reduce((sum, amount) => sum + amount, 0);

          const replies = await Promise.all(
            transfers.map((transfer) =>
              call(t.app, "POST", "/transfers", {
                body: { fromAccountId: accounts[transfer.from], toAccountId: accounts[transfer.to], money: { amountMinor: transfer.amountMinor, currency: "EUR" } },
              }),
            ),
          );
          // 202: the transfer process was still on it when the request stopped waiting (a loaded
          // machine); it ends without the client, so wait for every transfer to end.
          for (const reply of replies) expect([201, 202, 422]).toContain(reply.status);
          for (const reply of replies.filter((candidate) => candidate.status === 202)) {
            let status = "initiated";
            for (let attempt = 0; attempt < 300 && status === "initiated"; attempt += 1) {
              await new Promise((resolve) => setTimeout(resolve, 100));
              status = String((await call(t.app, "GET", `/transfers/${String(reply.body["transferId"])}`)).body["status"]);
            }
            expect(status).not.toBe("initiated");
          }

          let sum = 0;
          for (const accountId of accounts) {
            const state = await call<{ balanceMinor: number; overdraftLimitMinor: number; version: number }>(t.app, "GET", `/accounts/${accountId}`);
            expect(state.body.balanceMinor).toBeGreaterThanOrEqual(-state.body.overdraftLimitMinor);
            sum += state.body.balanceMinor;
            const events = await call<{ items: { version: number }[] }>(t.app, "GET", `/accounts/${accountId}/events?limit=200`);
            expect(events.body.items.map((event) => event.version)).toEqual(Array.from({ length: state.body.version }, (_, index) => index + 1));
          }
          expect(sum).toBe(total);

          // Every transfer ended, and its legs are on the account streams exactly as its outcome says.
          const references = new Map<string, string[]>();
          for (const accountId of accounts) {
            const events = await call<{ items: { type: string; data: { reference?: string } }[] }>(t.app, "GET", `/accounts/${accountId}/events?limit=200`);
            references.set(accountId, events.body.items.map((event) => `${event.type}:${event.data.reference ?? ""}`));
          }
          for (const reply of replies) {
            const transferId = String(reply.body["transferId"]);
            const transfer = await call<{ status: string; compensated?: boolean; fromAccountId: string; toAccountId: string }>(t.app, "GET", `/transfers/${transferId}`);
            const payer = references.get(transfer.body.fromAccountId) ?? [];
            const payee = references.get(transfer.body.toAccountId) ?? [];
            const debited = payer.filter((entry) => entry === `MoneyWithdrawn:transfer:${transferId}`).length;
            const refunded = payer.filter((entry) => entry === `MoneyDeposited:refund:${transferId}`).length;
            const credited = payee.filter((entry) => entry === `MoneyDeposited:transfer:${transferId}`).length;
            if (transfer.body.status === "completed") expect({ debited, credited, refunded }).toEqual({ debited: 1, credited: 1, refunded: 0 });
            else if (transfer.body.compensated === true) expect({ debited, credited, refunded }).toEqual({ debited: 1, credited: 0, refunded: 1 });
            else expect({ status: transfer.body.status, debited, credited, refunded }).toEqual({ status: "failed", debited: 0, credited: 0, refunded: 0 });
          }
          await t.runtime.services.readModels.catchUp();
          const balances = await call<{ items: { accountId: string; balanceMinor: number }[] }>(t.app, "GET", "/balances");
          const projected = balances.body.items.filter((item) => accounts.includes(item.accountId));
          expect(projected.reduce((acc, item) => acc + item.balanceMinor, 0)).toBe(total);
          for (const accountId of accounts) {
            const events = await call<{ items: { type: string }[] }>(t.app, "GET", `/accounts/${accountId}/events?limit=200`);
            const moneyEvents = events.body.items.filter((event) => event.type === "MoneyDeposited" || event.type === "MoneyWithdrawn").length;
            const history = await call<{ items: unknown[] }>(t.app, "GET", `/accounts/${accountId}/transactions?limit=200`);
            expect(history.body.items).toHaveLength(moneyEvents);
          }
        },
      ),
      { numRuns: 5 },
    );
  });
});
