// Idempotency-Key on every create, on PGlite and PostgreSQL: the same key and body get the
// original answer (also when the duplicates arrive at once), the same key with another body 422.
import { randomUUID } from "node:crypto";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { address, call, customerWithAccount } from "./support/http.js";
import type { Reply } from "./support/http.js";
import type { TestApp } from "./support/test-app.js";
import { openTestApp } from "./support/test-app.js";

const DUPLICATES = 12;

describeEachBackend("Idempotency-Key", (backend) => {
  let t: TestApp;
  let accountId = "";
  let otherAccountId = "";
  let customerId = "";
  beforeAll(async () => {
    t = await openTestApp(backend);
    ({ accountId, customerId } = await customerWithAccount(t.app, { depositMinor: 100_000 }));
    ({ accountId: otherAccountId } = await customerWithAccount(t.app));
  });
  afterAll(async () => {
    await t.close();
  });

  const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });
  const creates: readonly { readonly name: string; readonly url: () => string; readonly body: () => unknown; readonly other: () => unknown }[] = [
    { name: "POST /customers", url: () => "/customers", body: () => ({ name: "Grace", email: "grace@example.org", address }), other: () => ({ name: "Grace", email: "other@example.org", address }) },
    { name: "POST /accounts", url: () => "/accounts", body: () => ({ customerId, currency: "EUR", overdraftLimitMinor: 0 }), other: () => ({ customerId, currency: "EUR", overdraftLimitMinor: 500 }) },
    { name: "POST /accounts/:id/deposits", url: () => `/accounts/${accountId}/deposits`, body: () => ({ money: eur(700), source: "cash" }), other: () => ({ money: eur(701), source: "cash" }) },
    { name: "POST /accounts/:id/withdrawals", url: () => `/accounts/${accountId}/withdrawals`, body: () => ({ money: eur(300) }), other: () => ({ money: eur(300), reference: "changed" }) },
    { name: "POST /transfers", url: () => "/transfers", body: () => ({ fromAccountId: accountId, toAccountId: otherAccountId, money: eur(50) }), other: () => ({ fromAccountId: accountId, toAccountId: otherAccountId, money: eur(51) }) },
    // Only the reference differs: the transfer's legs would be the same, the request is not.
    { name: "POST /transfers (another reference)", url: () => "/transfers", body: () => ({ fromAccountId: accountId, toAccountId: otherAccountId, money: eur(50), reference: "rent" }), other: () => ({ fromAccountId: accountId, toAccountId: otherAccountId, money: eur(50), reference: "gift" }) },
  ];
  const send = (url: string, body: unknown, key: string) => call(t.app, "POST", url, { body, headers: { "idempotency-key": key } });
  const answer = (reply: Reply) => ({ status: reply.status, body: reply.body });

  it("a retry long after the original, behind many later events of its stream, still gets the original answer", async () => {
    const key = `late-${randomUUID()}`;
    const body = { customerId, currency: "EUR", overdraftLimitMinor: 0 };
    const opened = await send("/accounts", body, key);
    expect(opened.status).toBe(201);
    const deposit = { money: eur(1), source: "cash" };
    const depositKey = `late-deposit-${randomUUID()}`;
    const deposited = await send(`/accounts/${String(opened.body["accountId"])}/deposits`, deposit, depositKey);
    expect(deposited.status).toBe(200);
    // More later events than a retry looks back over first.
    for (let i = 0; i < 110; i += 1) await call(t.app, "POST", `/accounts/${String(opened.body["accountId"])}/deposits`, { body: deposit });
    expect(answer(await send("/accounts", body, key))).toEqual(answer(opened));
    // Frozen since: the retried deposit was applied before, so it answers as it did then.
    expect((await call(t.app, "POST", `/accounts/${String(opened.body["accountId"])}/freeze`, { body: { reason: "review" } })).status).toBe(200);
    expect(answer(await send(`/accounts/${String(opened.body["accountId"])}/deposits`, deposit, depositKey))).toEqual(answer(deposited));
    expect((await send("/accounts", { ...body, overdraftLimitMinor: 1 }, key)).body["code"]).toBe("idempotency_key_reused");
  });

  it("one key on two routes: the second request is a 422, whichever route came first", async () => {
    const deposit = `/accounts/${accountId}/deposits`;
    const transfer = { fromAccountId: accountId, toAccountId: otherAccountId, money: eur(5) };
    const first = `cross-${randomUUID()}`;
    expect((await send(deposit, { money: eur(5), source: "cash" }, first)).status).toBe(200);
    expect((await send("/transfers", transfer, first)).body["code"]).toBe("idempotency_key_reused");
    const second = `cross-${randomUUID()}`;
    expect((await send("/transfers", transfer, second)).status).toBe(201);
    expect((await send(deposit, { money: eur(5), source: "cash" }, second)).body["code"]).toBe("idempotency_key_reused");
    const third = `cross-${randomUUID()}`;
    expect((await send("/customers", { name: "Grace", email: "grace@example.org", address }, third)).status).toBe(201);
    expect((await send("/accounts", { customerId, currency: "EUR", overdraftLimitMinor: 0 }, third)).body["code"]).toBe("idempotency_key_reused");
  });

  for (const create of creates) {
    it(`${create.name}: a retry gets the original answer; another body under the key is a 422`, async () => {
      const key = `key-${randomUUID()}`;
      const first = await send(create.url(), create.body(), key);
      expect(first.status).toBeLessThan(300);
      expect(answer(await send(create.url(), create.body(), key))).toEqual(answer(first));
      const other = await send(create.url(), create.other(), key);
      expect(other.status).toBe(422);
      expect(other.body["code"]).toBe("idempotency_key_reused");
      expect(answer(await send(create.url(), create.body(), key))).toEqual(answer(first));
    });

    it(`${create.name}: ${DUPLICATES} duplicates at once all get one answer, and apply once`, async () => {
      const key = randomUUID();
      const before = await call(t.app, "GET", `/accounts/${accountId}`);
      const replies = await Promise.all(Array.from({ length: DUPLICATES }, () => send(create.url(), create.body(), key)));
      const answers = replies.map(answer);
      expect(answers[0]?.status).toBeLessThan(300);
      for (const reply of answers) expect(reply).toEqual(answers[0]);
      const after = await call(t.app, "GET", `/accounts/${accountId}`);
      const moved = Number(after.body["balanceMinor"]) - Number(before.body["balanceMinor"]);
      if (create.name.includes("deposits")) expect(moved).toBe(700);
      if (create.name.includes("withdrawals")) expect(moved).toBe(-300);
      if (create.name.includes("transfers")) expect(moved).toBe(-50);
    });

    it(`${create.name}: two bodies under one key at once: one body's copies all get its answer, the other's all 422`, async () => {
      const key = randomUUID();
      const bodies = Array.from({ length: DUPLICATES }, (_, i): "body" | "other" => (i % 2 === 0 ? "body" : "other"));
      const replies = await Promise.all(bodies.map((which) => send(create.url(), which === "body" ? create.body() : create.other(), key)));
      const byBody = { body: [] as ReturnType<typeof answer>[], other: [] as ReturnType<typeof answer>[] };
      for (const [i, reply] of replies.entries()) byBody[bodies[i] ?? "body"].push(answer(reply));
      const winners = (["body", "other"] as const).filter((which) => byBody[which].some((reply) => reply.status < 300));
      expect(winners).toHaveLength(1);
      const [winner = "body"] = winners;
      const loser = winner === "body" ? "other" : "body";
      for (const reply of byBody[winner]) expect(reply).toEqual(byBody[winner][0]);
      for (const reply of byBody[loser]) expect(reply).toMatchObject({ status: 422, body: { code: "idempotency_key_reused" } });
    });
  }
});
