// Erasure end to end: the API shows the erased marker, read models are scrubbed, the accounts'
// history still replays and balances are unchanged.
import { describeEachBackend } from "@strata/runtime/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { address, call } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const ERASED = { $erased: true };

describeEachBackend("erasure", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  async function setUp(): Promise<{ customerId: string; accountId: string; otherAccountId: string }> {
    const customer = await call(t.app, "POST", "/customers", { body: { name: "Erin Erasable", email: "erin@example.org", address } });
    const customerId = String(customer.body["customerId"]);
    const account = await call(t.app, "POST", "/accounts", { body: { customerId, currency: "EUR", overdraftLimitMinor: 0 } });
    const accountId = String(account.body["accountId"]);
    await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 5_000, currency: "EUR" }, source: "cash" } });
    const other = await call(t.app, "POST", "/customers", { body: { name: "Olga Other", email: "olga@example.org", address } });
    const otherAccount = await call(t.app, "POST", "/accounts", { body: { customerId: other.body["customerId"], currency: "EUR", overdraftLimitMinor: 0 } });
    const otherAccountId = String(otherAccount.body["accountId"]);
    await call(t.app, "POST", "/transfers", { body: { fromAccountId: accountId, toAccountId: otherAccountId, money: { amountMinor: 1_500, currency: "EUR" } } });
    await t.runtime.services.readModels.catchUp();
    return { customerId, accountId, otherAccountId };
  }

  it("without crypto-shredding keys, answers 501 naming what is missing and changes nothing", async () => {
    const plain = await openTestApp(backend, { personalData: false });
    try {
      const customer = await call(plain.app, "POST", "/customers", { body: { name: "Erin Erasable", email: "erin@example.org", address } });
      const customerId = String(customer.body["customerId"]);
      const reply = await call(plain.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" });
      expect(reply.status).toBe(501);
      expect(reply.body).toMatchObject({ code: "not_available", missing: expect.stringContaining("crypto-shredding") as unknown });
      await plain.runtime.services.readModels.catchUp();
      expect((await call(plain.app, "GET", `/customers/${customerId}`)).body).toMatchObject({ name: "Erin Erasable", erased: false });
    } finally {
      await plain.close();
    }
  });

  it("erases a customer: marker in the API, read models scrubbed, history replays, balances unchanged", async () => {
    const { customerId, accountId, otherAccountId } = await setUp();
    const before = await call(t.app, "GET", `/accounts/${accountId}`);
    const balancesBefore = await call(t.app, "GET", "/balances");

    const reply = await call(t.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" });
    expect(reply.body).toEqual({ customerId, erased: true, outcome: "erased" });
    expect((await call(t.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" })).body).toEqual({ customerId, erased: true, outcome: "already-erased" });
    await t.runtime.services.readModels.catchUp();

    expect((await call(t.app, "GET", `/customers/${customerId}`)).body).toMatchObject({ name: ERASED, email: ERASED, address: ERASED, erased: true });
    const exported = await call<{ events: { data: Record<string, unknown> }[] }>(t.app, "GET", `/customers/${customerId}/export`, { as: "compliance" });
    expect(exported.body.events[0]?.data).toMatchObject({ customerId, name: ERASED, email: ERASED, address: ERASED });
    expect(JSON.stringify(await call(t.app, "GET", "/customers?limit=200"))).not.toContain("Erin");

    const after = await call(t.app, "GET", `/accounts/${accountId}`);
    expect(after.body).toEqual(before.body);
    const events = await call<{ items: { version: number }[] }>(t.app, "GET", `/accounts/${accountId}/events`);
    expect(events.body.items.map((event) => event.version)).toEqual([1, 2, 3]);
    expect((await call(t.app, "GET", "/balances")).body).toEqual(balancesBefore.body);
    expect((await call(t.app, "GET", `/accounts/${otherAccountId}`)).body).toMatchObject({ balanceMinor: 1_500 });
    // Nothing in the database holds the name in plaintext: not the events (encrypted), not the read models.
    const plaintext = await backend.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.storeSchema}".events WHERE data::text LIKE '%Erin%'`);
    expect(plaintext[0]?.n).toBe(0);
    // The other party of the transfer keeps their data.
    expect((await call(t.app, "GET", `/customers?limit=200`)).body).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ name: "Olga Other" })]) as unknown });
  });
});
