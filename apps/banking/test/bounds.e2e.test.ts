// Bounded inputs, on PGlite and PostgreSQL: beyond a schema's bound the API answers 400 naming the
// field; at the bound every read model holds the value.
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { address, call, customerWithAccount } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const MAX_AMOUNT = 100_000_000_000;

describeEachBackend("bounded inputs", (backend) => {
  let t: TestApp;
  let accountId = "";
  let customerId = "";
  let otherAccountId = "";
  beforeAll(async () => {
    t = await openTestApp(backend);
    ({ accountId, customerId } = await customerWithAccount(t.app));
    ({ accountId: otherAccountId } = await customerWithAccount(t.app));
  });
  afterAll(async () => {
    await t.close();
  });

  const refused = async (url: string, body: unknown, field: string) => {
    const reply = await call<{ code: string; "invalid-params": { name: string }[] }>(t.app, "POST", url, { body });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe("invalid_request");
    expect(reply.body["invalid-params"].map((param) => param.name)).toContain(field);
  };
  const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });

  it("refuses amounts and overdraft limits beyond 100 000 000 000 minor units, naming the field", async () => {
    await refused(`/accounts/${accountId}/deposits`, { money: eur(1e20), source: "cash" }, "money.amountMinor");
    await refused(`/accounts/${accountId}/deposits`, { money: eur(MAX_AMOUNT + 1), source: "cash" }, "money.amountMinor");
    await refused(`/accounts/${accountId}/withdrawals`, { money: eur(MAX_AMOUNT + 1) }, "money.amountMinor");
    await refused("/transfers", { fromAccountId: accountId, toAccountId: otherAccountId, money: eur(MAX_AMOUNT + 1) }, "money.amountMinor");
    await refused("/accounts", { customerId, currency: "EUR", overdraftLimitMinor: MAX_AMOUNT + 1 }, "overdraftLimitMinor");
  });

  it("refuses free text beyond its bound, naming the field", async () => {
    await refused("/customers", { name: "n".repeat(201), email: "a@example.org", address }, "name");
    await refused("/customers", { name: "N", email: `${"a".repeat(250)}@example.org`, address }, "email");
    await refused("/customers", { name: "N", email: "a@example.org", address: { ...address, street: "s".repeat(201) } }, "address.street");
    await refused("/customers", { name: "N", email: "a@example.org", address: { ...address, city: "c".repeat(101) } }, "address.city");
    await refused(`/accounts/${accountId}/deposits`, { money: eur(1), source: "cash", reference: "r".repeat(141) }, "reference");
    await refused(`/accounts/${accountId}/freeze`, { reason: "r".repeat(501) }, "reason");
  });

  it("takes amounts at the bound, and every read model holds them", async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: eur(MAX_AMOUNT), source: "card" } })).status).toBe(200);
    }
    const opened = await call(t.app, "POST", "/accounts", { body: { customerId, currency: "EUR", overdraftLimitMinor: MAX_AMOUNT } });
    expect(opened.status).toBe(201);
    await t.runtime.services.readModels.catchUp();
    const balances = await call<{ items: { accountId: string; balanceMinor: number }[] }>(t.app, "GET", `/balances?customerId=${customerId}`);
    expect(balances.body.items.find((item) => item.accountId === accountId)?.balanceMinor).toBe(3 * MAX_AMOUNT);
    // The balances table keeps the overdraft limit in a bigint column too (the view does not show it).
    expect(balances.body.items.find((item) => item.accountId === opened.body["accountId"])).toMatchObject({ balanceMinor: 0 });
    expect((await call(t.app, "GET", `/accounts/${String(opened.body["accountId"])}`)).body["overdraftLimitMinor"]).toBe(MAX_AMOUNT);
    const history = await call<{ items: { amountMinor: number }[] }>(t.app, "GET", `/accounts/${accountId}/transactions?limit=10`);
    expect(history.body.items.map((item) => item.amountMinor)).toEqual([MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT]);
    expect((await t.runtime.services.readModels.health()).every((status) => status.state !== "failed")).toBe(true);
  });
});
