// Erasure end to end: the API shows the erased marker, read models are scrubbed, the accounts'
// history still replays and balances are unchanged.
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { address, call } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const ERASED = { $erased: true };

/**
 * Asks again while the answer is still pending (up to a minute): on a shared server the key-table
 * place waits while another session's transaction that began before the key's deletion is open.
 */
async function settled<T>(ask: () => Promise<T>, done: (answer: T) => boolean = (answer) => (answer as { outcome?: string } | undefined)?.outcome !== "pending"): Promise<T> {
  let answer = await ask();
  for (let attempt = 0; !done(answer) && attempt < 120; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    answer = await ask();
  }
  return answer;
}

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
    // Complete at once when the running directory projection was quick, else accepted with what is left.
    expect([200, 202]).toContain(reply.status);
    await t.runtime.services.readModels.catchUp();
    expect(await settled(() => t.runtime.services.erasure!.status(customerId))).toEqual({ outcome: "erased", pending: [] });
    expect((await call(t.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" })).body).toEqual({ customerId, erased: true, outcome: "already-erased", pending: [] });

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
    // The directory's table holds live customers' personal fields sealed: a dump shows no plaintext.
    const tables = await backend.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'customers' AND table_schema LIKE 'bank_%_customers'`);
    const dump = (await Promise.all(tables.map(async ({ table_schema }) => JSON.stringify(await backend.query(`SELECT t::text AS row FROM "${table_schema}".customers t`))))).join("\n");
    expect(dump).toContain("strata:col:3:");
    for (const secret of ["Olga Other", "olga@example.org", "Erin", "erin@example.org"]) expect(dump).not.toContain(secret);
    // The other party of the transfer keeps their data.
    expect((await call(t.app, "GET", `/customers?limit=200`)).body).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ name: "Olga Other" })]) as unknown });
  });

  it("answers 202 with the places still pending while the directory has not applied the erasure, and completes once it has", async () => {
    const paused = await openTestApp(backend, { runProjections: false });
    try {
      const customer = await call(paused.app, "POST", "/customers", { body: { name: "Pat Pending", email: "pat@example.org", address } });
      const customerId = String(customer.body["customerId"]);
      const reply = await call<{ pending: { place: string }[] }>(paused.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" });
      expect(reply.status).toBe(202);
      expect(reply.body).toMatchObject({ customerId, erased: false, outcome: "pending" });
      // The directory waits for its projection; on a shared server the key table may wait too (below).
      expect(reply.body.pending).toContainEqual({ place: expect.stringMatching(/^projection:bank_[0-9a-f]+-customers$/) as unknown, status: "pending", detail: "has not reached the erasure event yet" });
      expect(reply.body.pending.filter((place) => !place.place.startsWith("projection:")).every((place) => place.place === "key-table")).toBe(true);
      expect(JSON.stringify(reply.body)).not.toContain("Pat");
      await paused.runtime.services.readModels.catchUp();
      // On a shared server the key-table place can stay pending a moment longer, while another
      // session's transaction that began before the key's deletion is still open; a rerun
      // completes the erasure once it has ended.
      const again = await settled(() => call(paused.app, "POST", `/customers/${customerId}/erasure`, { as: "compliance" }), (answer) => answer.status !== 202);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ customerId, erased: true, outcome: "erased", pending: [] });
      expect((await call(paused.app, "GET", `/customers/${customerId}`)).body).toMatchObject({ name: ERASED, erased: true });
    } finally {
      await paused.close();
    }
  });
});
