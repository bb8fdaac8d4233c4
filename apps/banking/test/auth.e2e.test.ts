// Authentication and authorization, on PGlite and PostgreSQL: bearer tokens from POST /auth/token,
// roles per route, customers confined to their own data, JSON-only state changes.
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTokenService } from "../src/auth/token-service.js";
import { call, customerUser, customerWithAccount, testAuth } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

describeEachBackend("auth", (backend) => {
  let t: TestApp;
  let mine: { customerId: string; accountId: string };
  let theirs: { customerId: string; accountId: string };
  let me = "";
  beforeAll(async () => {
    t = await openTestApp(backend);
    mine = await customerWithAccount(t.app, { depositMinor: 5_000 });
    theirs = await customerWithAccount(t.app, { depositMinor: 5_000 });
    me = await customerUser(mine.customerId);
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses requests without a valid token (401), and wrong passwords", async () => {
    const anonymous = await call(t.app, "GET", "/customers", { as: null });
    expect(anonymous.body).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(anonymous.headers["www-authenticate"]).toBe('Bearer realm="strata-banking"');
    const garbled = await call(t.app, "GET", "/customers", { as: null, headers: { authorization: "Bearer not.a.token" } });
    expect(garbled.body).toMatchObject({ status: 401, code: "invalid_token" });
    expect(garbled.headers["www-authenticate"]).toBe('Bearer realm="strata-banking", error="invalid_token"');
    const forged = await createTokenService(new Uint8Array(32).fill(7)).issue({ subject: "mallory", role: "compliance" });
    expect((await call(t.app, "GET", "/customers", { as: null, headers: { authorization: `Bearer ${forged.token}` } })).status).toBe(401);
    const teller = testAuth.devUsers?.find((user) => user.username === "teller");
    expect((await call(t.app, "POST", "/auth/token", { as: null, body: { username: "teller", password: `${teller?.password ?? ""}x` } })).body).toMatchObject({ status: 401, code: "invalid_credentials" });
    expect((await call(t.app, "POST", "/auth/token", { as: null, body: { username: "nobody", password: "x" } })).status).toBe(401);
    expect((await call(t.app, "GET", "/health", { as: null })).status).toBe(200);
    expect((await call(t.app, "GET", "/me")).body).toEqual({ subject: "teller", role: "teller" });
  });

  it("gives each role its routes: tellers move money, compliance exports and erases", async () => {
    expect((await call(t.app, "GET", `/customers/${theirs.customerId}/export`)).body).toMatchObject({ status: 403, code: "forbidden" });
    expect((await call(t.app, "POST", `/customers/${theirs.customerId}/erasure`)).status).toBe(403);
    expect((await call(t.app, "GET", `/customers/${theirs.customerId}/export`, { as: "compliance" })).status).toBe(200);
    const deposit = { body: { money: { amountMinor: 1, currency: "EUR" }, source: "cash" }, as: "compliance" };
    expect((await call(t.app, "POST", `/accounts/${theirs.accountId}/deposits`, deposit)).status).toBe(403);
    expect((await call(t.app, "POST", `/accounts/${theirs.accountId}/deposits`, { ...deposit, as: me })).status).toBe(403);
  });

  it("confines a customer to their own customer record, accounts and transfers", async () => {
    const notFound = { status: 404, body: { status: 404, code: "not_found" } };
    expect((await call(t.app, "GET", `/accounts/${mine.accountId}`, { as: me })).status).toBe(200);
    expect(await call(t.app, "GET", `/accounts/${theirs.accountId}`, { as: me })).toMatchObject(notFound);
    expect(await call(t.app, "GET", `/accounts/${theirs.accountId}/events`, { as: me })).toMatchObject(notFound);
    expect(await call(t.app, "GET", `/accounts/${theirs.accountId}/transactions`, { as: me })).toMatchObject(notFound);
    expect(await call(t.app, "GET", `/customers/${theirs.customerId}`, { as: me })).toMatchObject(notFound);
    expect((await call(t.app, "GET", `/customers/${mine.customerId}`, { as: me })).status).toBe(200);
    // Lists and exports are not a customer's, not even their own export (compliance answers it).
    expect((await call(t.app, "GET", "/customers", { as: me })).status).toBe(403);
    expect((await call(t.app, "GET", `/customers/${mine.customerId}/export`, { as: me })).status).toBe(403);
    expect((await call(t.app, "POST", `/customers/${mine.customerId}/erasure`, { as: me })).status).toBe(403);
    expect((await call(t.app, "GET", `/accounts/${mine.accountId}/events`, { as: me })).status).toBe(200);
    expect((await call(t.app, "GET", `/accounts/${mine.accountId}/transactions`, { as: me })).status).toBe(200);
    expect((await call(t.app, "GET", `/balances?customerId=${theirs.customerId}`, { as: me })).status).toBe(403);
    await t.runtime.services.readModels.catchUp();
    const balances = await call<{ items: { customerId: string }[] }>(t.app, "GET", "/balances", { as: me });
    expect(new Set(balances.body.items.map((item) => item.customerId))).toEqual(new Set([mine.customerId]));

    const money = { amountMinor: 100, currency: "EUR" };
    const stolen = await call(t.app, "POST", "/transfers", { as: me, body: { fromAccountId: theirs.accountId, toAccountId: mine.accountId, money } });
    expect(stolen).toMatchObject(notFound);
    const paid = await call(t.app, "POST", "/transfers", { as: me, body: { fromAccountId: mine.accountId, toAccountId: theirs.accountId, money } });
    expect(paid.status).toBe(201);
    expect((await call(t.app, "GET", `/transfers/${String(paid.body["transferId"])}`, { as: me })).status).toBe(200);
    const between = await call(t.app, "POST", "/transfers", { body: { fromAccountId: theirs.accountId, toAccountId: theirs.accountId === mine.accountId ? "" : (await customerWithAccount(t.app)).accountId, money } });
    expect(await call(t.app, "GET", `/transfers/${String(between.body["transferId"])}`, { as: me })).toMatchObject(notFound);
  });

  it("answers a customer the same 404 for someone else's account, customer or transfer as for one that does not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const [resource, route, theirsRoute] of [
      ["account", `/accounts/${missing}`, `/accounts/${theirs.accountId}`],
      ["customer", `/customers/${missing}`, `/customers/${theirs.customerId}`],
    ] as const) {
      const absent = await call(t.app, "GET", route, { as: me });
      const other = await call(t.app, "GET", theirsRoute, { as: me });
      expect(absent.body).toMatchObject({ status: 404, code: "not_found", resource });
      // Identical but for the id each names.
      expect({ ...other.body, id: missing, detail: "", instance: "" }).toEqual({ ...absent.body, id: missing, detail: "", instance: "" });
    }
  });

  it("changes state only from application/json: a text/plain erasure erases nothing (415)", async () => {
    const plain = await call(t.app, "POST", `/customers/${mine.customerId}/erasure`, { as: "compliance", headers: { "content-type": "text/plain" } });
    expect(plain.body).toMatchObject({ status: 415, code: "unsupported_media_type" });
    const form = await call(t.app, "POST", "/customers", { headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    await t.runtime.services.readModels.catchUp();
    expect((await call(t.app, "GET", `/customers/${mine.customerId}`)).body).toMatchObject({ name: "Test Person" });
  });

  it("declares the bearer scheme and each operation's roles in the OpenAPI document", async () => {
    const document = (await call<{ components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, { security: unknown; "x-roles"?: string[] }>> }>(t.app, "GET", "/openapi.json", { as: null })).body;
    expect(document.components.securitySchemes["bearerAuth"]).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(document.paths["/customers/{id}/erasure"]?.["post"]).toMatchObject({ security: [{ bearerAuth: [] }], "x-roles": ["compliance"] });
    expect(document.paths["/health"]?.["get"]?.security).toEqual([]);
  });
});
