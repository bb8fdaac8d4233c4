// Every endpoint and every error class, over HTTP (fastify inject), on PGlite and PostgreSQL.
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { accountView, commandResponse, customerView, eventView, pageOf, transactionView, transferView } from "../src/http/schemas.js";
import { address, call, customerWithAccount } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const PROBLEM = "application/problem+json";

describeEachBackend("banking API", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("registers a customer, opens an account and answers commands with the new version and an ETag", async () => {
    const customer = await call(t.app, "POST", "/customers", { body: { name: "Ada", email: "ada@example.org", address } });
    expect(customer.status).toBe(201);
    expect(customer.headers["location"]).toBe(`/customers/${String(customer.body["customerId"])}`);
    const account = await call(t.app, "POST", "/accounts", { body: { customerId: customer.body["customerId"], currency: "EUR", overdraftLimitMinor: 1_000 } });
    expect(account.status).toBe(201);
    const accountId = String(account.body["accountId"]);
    const deposit = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 5_000, currency: "EUR" }, source: "card", reference: "Salary" } });
    expect(deposit.status).toBe(200);
    expect(commandResponse.parse(deposit.body)).toMatchObject({ streamId: `account-${accountId}`, version: 2 });
    expect(deposit.headers["etag"]).toBe('"2"');
    const withdrawal = await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { body: { money: { amountMinor: 5_500, currency: "EUR" } } });
    expect(withdrawal.status).toBe(200);
    const state = await call(t.app, "GET", `/accounts/${accountId}`);
    expect(accountView.parse(state.body)).toEqual({ accountId, customerId: customer.body["customerId"], currency: "EUR", status: "open", balanceMinor: -500, overdraftLimitMinor: 1_000, version: 3 });
  });

  it("travels in time by version and by instant", async () => {
    const { accountId } = await customerWithAccount(t.app, { depositMinor: 1_000 });
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 2_000, currency: "EUR" }, source: "cash" } });
    expect((await call(t.app, "GET", `/accounts/${accountId}?atVersion=1`)).body).toMatchObject({ balanceMinor: 0, version: 1 });
    expect((await call(t.app, "GET", `/accounts/${accountId}?atVersion=2`)).body).toMatchObject({ balanceMinor: 1_000, version: 2 });
    expect((await call(t.app, "GET", `/accounts/${accountId}?asOf=${between.toISOString()}`)).body).toMatchObject({ balanceMinor: 1_000, version: 2 });
    expect((await call(t.app, "GET", `/accounts/${accountId}`)).body).toMatchObject({ balanceMinor: 3_000, version: 3 });
    const beyond = await call(t.app, "GET", `/accounts/${accountId}?atVersion=9`);
    expect(beyond.status).toBe(404);
    expect(beyond.body).toMatchObject({ code: "version_not_found", requestedVersion: 9, actualVersion: 3 });
  });

  it("travels in time across a snapshot: states before and after it match a full replay", async () => {
    const { accountId } = await customerWithAccount(t.app);
    for (let index = 1; index <= 30; index += 1) {
      await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: index, currency: "EUR" }, source: "cash" } });
    }
    await t.runtime.bank.accounts.flushSnapshots();
    expect(t.runtime.bank.accounts.metrics.snapshotsWritten).toBeGreaterThan(0);
    const sumTo = (n: number) => (n * (n + 1)) / 2;
    for (const version of [2, 25, 26, 31]) {
      expect((await call(t.app, "GET", `/accounts/${accountId}?atVersion=${version}`)).body).toMatchObject({ version, balanceMinor: sumTo(version - 1) });
    }
    expect((await call(t.app, "GET", `/accounts/${accountId}`)).body).toMatchObject({ version: 31, balanceMinor: sumTo(30) });
    expect(t.runtime.bank.accounts.metrics.snapshotsUsed).toBeGreaterThan(0);
  });

  it("freezes and closes accounts under their rules", async () => {
    const { accountId } = await customerWithAccount(t.app, { depositMinor: 100 });
    const close = await call(t.app, "POST", `/accounts/${accountId}/close`);
    expect(close.status).toBe(422);
    expect(close.body).toMatchObject({ code: "balance_not_zero", balanceMinor: 100 });
    expect((await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { body: { money: { amountMinor: 100, currency: "EUR" } } })).status).toBe(200);
    expect((await call(t.app, "POST", `/accounts/${accountId}/close`)).status).toBe(200);
    const deposit = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 1, currency: "EUR" }, source: "cash" } });
    expect(deposit.body).toMatchObject({ status: 422, code: "account_closed" });

    const other = await customerWithAccount(t.app, { depositMinor: 100 });
    expect((await call(t.app, "POST", `/accounts/${other.accountId}/freeze`, { body: { reason: "Fraud check" } })).status).toBe(200);
    const frozen = await call(t.app, "POST", `/accounts/${other.accountId}/withdrawals`, { body: { money: { amountMinor: 1, currency: "EUR" } } });
    expect(frozen.body).toMatchObject({ status: 422, code: "account_frozen" });
    expect((await call(t.app, "GET", `/accounts/${other.accountId}`)).body).toMatchObject({ status: "frozen", balanceMinor: 100 });
  });

  it("answers 400 problem+json naming every invalid field, without echoing values", async () => {
    const reply = await call(t.app, "POST", "/customers", { body: { name: "", email: "secret-not-an-email", address: { ...address, country: "germany" }, extra: 1 } });
    expect(reply.status).toBe(400);
    expect(reply.headers["content-type"]).toContain(PROBLEM);
    const names = (reply.body["invalid-params"] as { name: string; in: string }[]).map((param) => `${param.in}:${param.name}`).sort();
    expect(names).toEqual(["body:(root)", "body:address.country", "body:email", "body:name"]);
    expect(JSON.stringify(reply.body)).not.toContain("secret-not-an-email");
    const query = await call(t.app, "GET", "/accounts/not-a-uuid?atVersion=0");
    expect(query.status).toBe(400);
    expect((query.body["invalid-params"] as { name: string; in: string }[]).map((param) => `${param.in}:${param.name}`).sort()).toEqual(["path:id", "query:atVersion"]);
    const reserved = await call(t.app, "POST", "/transfers", { body: { fromAccountId: crypto.randomUUID(), toAccountId: crypto.randomUUID(), money: { amountMinor: 1, currency: "EUR" }, reference: "refund:x" } });
    expect(reserved.status).toBe(400);
  });

  it("answers 400 for a body that is not JSON, without quoting it, and 415 for another media type", async () => {
    const broken = await t.app.inject({ method: "POST", url: "/customers", headers: { "content-type": "application/json" }, payload: '{"name":"Secret Sam",' });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers["content-type"]).toContain(PROBLEM);
    expect(broken.body).not.toContain("Secret");
    const text = await t.app.inject({ method: "POST", url: "/customers", headers: { "content-type": "application/xml" }, payload: "<name>Secret Sam</name>" });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: "unsupported_media_type" });
  });

  it("answers 404 for unknown accounts, customers, transfers and routes", async () => {
    const id = crypto.randomUUID();
    for (const [method, url, body] of [
      ["GET", `/accounts/${id}`, undefined],
      ["GET", `/accounts/${id}/events`, undefined],
      ["GET", `/accounts/${id}/transactions`, undefined],
      ["POST", `/accounts/${id}/deposits`, { money: { amountMinor: 1, currency: "EUR" }, source: "cash" }],
      ["POST", "/accounts", { customerId: id, currency: "EUR", overdraftLimitMinor: 0 }],
      ["GET", `/customers/${id}`, undefined],
      ["GET", `/customers/${id}/export`, undefined],
      ["POST", `/customers/${id}/erasure`, undefined],
      ["GET", `/transfers/${id}`, undefined],
      ["GET", "/nowhere", undefined],
    ] as const) {
      const as = url.endsWith("/export") || url.endsWith("/erasure") ? "compliance" : "teller";
      const reply = await call(t.app, method, url, body === undefined ? { as } : { body, as });
      expect({ url, status: reply.status, type: reply.headers["content-type"] }).toEqual({ url, status: 404, type: expect.stringContaining(PROBLEM) as unknown });
    }
  });

  it("answers 409 with the expected and the actual version when If-Match is stale", async () => {
    const { accountId } = await customerWithAccount(t.app, { depositMinor: 1_000 });
    const stale = await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { headers: { "if-match": '"1"' }, body: { money: { amountMinor: 10, currency: "EUR" } } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "concurrency_conflict", expectedVersion: 1, actualVersion: 2 });
    const fresh = await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { headers: { "if-match": '"2"' }, body: { money: { amountMinor: 10, currency: "EUR" } } });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ version: 3 });
  });

  it("answers 422 for business rules: overdraft limit, currency mismatch, same-account transfer", async () => {
    const { accountId } = await customerWithAccount(t.app, { overdraftLimitMinor: 500, depositMinor: 1_000 });
    const over = await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { body: { money: { amountMinor: 1_501, currency: "EUR" } } });
    expect(over.body).toMatchObject({ status: 422, code: "insufficient_funds", balanceMinor: 1_000, overdraftLimitMinor: 500, requestedMinor: 1_501 });
    expect((await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, { body: { money: { amountMinor: 1_500, currency: "EUR" } } })).status).toBe(200);
    const currency = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: 1, currency: "USD" }, source: "cash" } });
    expect(currency.body).toMatchObject({ status: 422, code: "currency_mismatch", accountCurrency: "EUR", requested: "USD" });
    const same = await call(t.app, "POST", "/transfers", { body: { fromAccountId: accountId, toAccountId: accountId, money: { amountMinor: 1, currency: "EUR" } } });
    expect(same.body).toMatchObject({ status: 422, code: "same_account" });
  });

  it("applies a retried command once: the Idempotency-Key becomes the event id", async () => {
    const { accountId } = await customerWithAccount(t.app, { depositMinor: 1_000 });
    const request = { headers: { "idempotency-key": "pay-rent-2026-11" }, body: { money: { amountMinor: 700, currency: "EUR" }, reference: "Rent" } };
    const first = await call(t.app, "POST", `/accounts/${accountId}/withdrawals`, request);
    // The retry would now break the overdraft rule if it were decided again; it must return the original.
    const retries = await Promise.all([1, 2, 3].map(() => call(t.app, "POST", `/accounts/${accountId}/withdrawals`, request)));
    for (const retry of retries) expect(retry.body).toEqual(first.body);
    expect((await call(t.app, "GET", `/accounts/${accountId}`)).body).toMatchObject({ balanceMinor: 300, version: 3 });
    const uuidKey = crypto.randomUUID();
    const keyed = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { headers: { "idempotency-key": uuidKey }, body: { money: { amountMinor: 1, currency: "EUR" }, source: "cash" } });
    expect(keyed.body["eventIds"]).toEqual([uuidKey]);
    const again = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { headers: { "idempotency-key": uuidKey }, body: { money: { amountMinor: 1, currency: "EUR" }, source: "cash" } });
    expect(again.body).toEqual(keyed.body);
    const reused = await call(t.app, "POST", `/accounts/${accountId}/deposits`, { headers: { "idempotency-key": uuidKey }, body: { money: { amountMinor: 2, currency: "EUR" }, source: "cash" } });
    expect(reused.body).toMatchObject({ status: 422, code: "idempotency_key_reused" });
    const elsewhere = await customerWithAccount(t.app);
    const crossStream = await call(t.app, "POST", `/accounts/${elsewhere.accountId}/deposits`, { headers: { "idempotency-key": uuidKey }, body: { money: { amountMinor: 1, currency: "EUR" }, source: "cash" } });
    expect(crossStream.body).toMatchObject({ status: 422, code: "idempotency_key_reused" });
  });

  it("transfers money, and compensates the debit when the credit fails", async () => {
    const payer = await customerWithAccount(t.app, { depositMinor: 10_000 });
    const payee = await customerWithAccount(t.app);
    const done = await call(t.app, "POST", "/transfers", { headers: { "idempotency-key": "transfer-1" }, body: { fromAccountId: payer.accountId, toAccountId: payee.accountId, money: { amountMinor: 2_500, currency: "EUR" } } });
    expect(done.status).toBe(201);
    const again = await call(t.app, "POST", "/transfers", { headers: { "idempotency-key": "transfer-1" }, body: { fromAccountId: payer.accountId, toAccountId: payee.accountId, money: { amountMinor: 2_500, currency: "EUR" } } });
    expect(again.body).toEqual(done.body);
    const transferId = String(done.body["transferId"]);
    expect(transferView.parse((await call(t.app, "GET", `/transfers/${transferId}`)).body)).toMatchObject({ status: "completed" });
    expect((await call(t.app, "GET", `/accounts/${payee.accountId}`)).body).toMatchObject({ balanceMinor: 2_500 });

    await call(t.app, "POST", `/accounts/${payee.accountId}/freeze`, { body: { reason: "Check" } });
    const failed = await call(t.app, "POST", "/transfers", { body: { fromAccountId: payer.accountId, toAccountId: payee.accountId, money: { amountMinor: 1_000, currency: "EUR" } } });
    expect(failed.body).toMatchObject({ status: 422, code: "account_frozen", compensated: true });
    expect((await call(t.app, "GET", `/transfers/${String(failed.body["transferId"])}`)).body).toMatchObject({ status: "failed", reason: "account_frozen", compensated: true });
    const payerEvents = await call<{ items: { type: string; data: { reference?: string } }[] }>(t.app, "GET", `/accounts/${payer.accountId}/events`);
    expect(payerEvents.body.items.map((event) => `${event.type}:${event.data.reference?.split(":")[0] ?? ""}`)).toEqual([
      "AccountOpened:",
      "MoneyDeposited:",
      "MoneyWithdrawn:transfer",
      "MoneyWithdrawn:transfer",
      "MoneyDeposited:refund",
    ]);
    expect((await call(t.app, "GET", `/accounts/${payer.accountId}`)).body).toMatchObject({ balanceMinor: 7_500 });

    const broke = await call(t.app, "POST", "/transfers", { body: { fromAccountId: payer.accountId, toAccountId: payee.accountId, money: { amountMinor: 99_999, currency: "EUR" } } });
    expect(broke.body).toMatchObject({ status: 422, code: "insufficient_funds", compensated: false });
  });

  it("serves read models from projections: balances, paged transaction history, customer directory", async () => {
    const { customerId, accountId } = await customerWithAccount(t.app, { depositMinor: 100 });
    for (const amountMinor of [200, 300, 400]) await call(t.app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor, currency: "EUR" }, source: "cash" } });
    await t.runtime.services.readModels.catchUp();
    const first = await call(t.app, "GET", `/accounts/${accountId}/transactions?limit=3`);
    const page1 = pageOf(transactionView).parse(first.body);
    expect(page1.items.map((item) => item.amountMinor)).toEqual([100, 200, 300]);
    expect(page1.next).not.toBeNull();
    const page2 = pageOf(transactionView).parse((await call(t.app, "GET", `/accounts/${accountId}/transactions?limit=3&after=${String(page1.next)}`)).body);
    expect(page2).toMatchObject({ items: [{ amountMinor: 400, version: 5 }], next: null });
    const balances = await call(t.app, "GET", `/balances?customerId=${customerId}`);
    expect(balances.body).toEqual({ items: [{ accountId, customerId, currency: "EUR", balanceMinor: 1_000, status: "open" }], totalMinorByCurrency: { EUR: 1_000 } });
    const entry = customerView.parse((await call(t.app, "GET", `/customers/${customerId}`)).body);
    expect(entry).toMatchObject({ customerId, name: "Test Person", erased: false });
    const directory = await call<{ items: { customerId: string }[]; next: string | null }>(t.app, "GET", "/customers?limit=2");
    expect(directory.body.items).toHaveLength(2);
    const rest = await call<{ items: { customerId: string }[] }>(t.app, "GET", `/customers?limit=200&after=${String(directory.body.next)}`);
    expect(rest.body.items.every((item) => item.customerId > (directory.body.items[1]?.customerId ?? ""))).toBe(true);
    const health = await call<{ status: string; projections: { lagEvents: number }[] }>(t.app, "GET", "/health");
    expect(health.body.status).toBe("ok");
    expect(health.body.projections).toHaveLength(3);
    expect(health.body.projections.every((projection) => projection.lagEvents === 0)).toBe(true);
  });

  it("exports everything stored about a customer", async () => {
    const { customerId, accountId } = await customerWithAccount(t.app, { depositMinor: 100 });
    await t.runtime.services.readModels.catchUp();
    const exported = await call<{ events: unknown[]; accounts: { accountId: string }[] }>(t.app, "GET", `/customers/${customerId}/export`, { as: "compliance" });
    expect(exported.status).toBe(200);
    expect(exported.body.events.map((event) => eventView.parse(event).type)).toEqual(["CustomerRegistered"]);
    expect(exported.body.accounts.map((account) => account.accountId)).toEqual([accountId]);
  });

  it("serves an OpenAPI 3.1 document listing every route with its schemas", async () => {
    const reply = await call<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> }>(t.app, "GET", "/openapi.json");
    expect(reply.body.openapi).toBe("3.1.0");
    expect(Object.keys(reply.body.paths).sort()).toEqual([
      "/accounts",
      "/accounts/{id}",
      "/accounts/{id}/close",
      "/accounts/{id}/deposits",
      "/accounts/{id}/events",
      "/accounts/{id}/freeze",
      "/accounts/{id}/transactions",
      "/accounts/{id}/withdrawals",
      "/auth/token",
      "/balances",
      "/customers",
      "/customers/{id}",
      "/customers/{id}/erasure",
      "/customers/{id}/export",
      "/health",
      "/me",
      "/openapi.json",
      "/transfers",
      "/transfers/{id}",
    ]);
    expect(reply.body.paths["/customers"]?.["post"]?.requestBody).toMatchObject({ content: { "application/json": { schema: { required: ["name", "email", "address"] } } } });
    expect(Object.keys(reply.body.paths["/accounts/{id}/withdrawals"]?.["post"]?.responses ?? {}).sort()).toEqual(["200", "400", "401", "403", "404", "409", "415", "422"]);
  });
});
