import { afterAll, expect, it } from "vitest";
import { describeEachBackend } from "../testing/backends.js";
import { foldBalances } from "./balances.fixture.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";
import { isProjectionError } from "./projection-errors.js";


describeEachBackend("projection engine", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("catches up in batches, equal to a fold from scratch, and reports no lag", async () => {
    const t = await setUp(backend, cleanup, { batchSize: 7 });
    for (let account = 0; account < 10; account += 1) {
      await t.store.append(`account-${account}`, [opened, ...Array.from({ length: account + 3 }, (_, i) => deposit(i + 1))]);
    }
    const engine = await t.engine();
    const before = await engine.status("balances");
    expect(before[0]).toMatchObject({ state: "catching-up", lagEvents: 10 * 1 + 75, position: null });
    await engine.catchUp();
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    const [status] = await engine.status();
    expect(status).toMatchObject({ name: "balances", state: "live", lagEvents: 0, lagSeconds: 0, eventsApplied: 85, failure: null });
    expect(status?.position).toBe(status?.head);
    await t.close();
  });

  it("grows its batches while catching up, reading the next page ahead: every event once, in global order, then back to the base size", async () => {
    const t = await setUp(backend, cleanup, { batchSize: 4, catchUpBatchSize: 32 });
    for (let account = 0; account < 12; account += 1) {
      await t.store.append(`account-${account}`, [opened, ...Array.from({ length: 10 + account }, (_, i) => deposit(i + 1))]);
    }
    const applied: number[] = [];
    // A long lease: batches stop growing once one takes a tenth of it, which a loaded server could reach.
    const engine = await t.engine({ leaseMs: 60_000, onProgress: (progress) => void applied.push(progress.applied) });
    await engine.catchUp();
    // 4, 8, 16, then 32 per batch; the short last one ends the catch-up.
    expect(applied.slice(0, 5)).toEqual([4, 8, 16, 32, 32]);
    expect(applied.reduce((a, b) => a + b, 0)).toBe(12 + 12 * 10 + 66);
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    // The ledger's primary key refuses an event applied twice; its seq is the order applied.
    const ledger = await backend.query(`SELECT event_id FROM "${t.readSchema}".ledger ORDER BY seq`);
    const global: string[] = [];
    for (let page = await t.store.readAll({ limit: 50 }); ; page = await t.store.readAll({ after: page.checkpoint, limit: 50 })) {
      global.push(...page.events.map((event) => event.id));
      if (page.caughtUp) break;
    }
    expect(ledger.map((row) => row["event_id"])).toEqual(global);
    // Live: one append of 3 events is one batch of the base size or less.
    applied.length = 0;
    await t.store.append("account-0", [deposit(1), deposit(2), deposit(3)]);
    await engine.catchUp();
    expect(applied).toEqual([3]);
    await t.close();
  });

  it("stops at the exact failing event when a grown catch-up batch fails, with everything before it applied", async () => {
    const t = await setUp(backend, cleanup, { batchSize: 4, catchUpBatchSize: 64, failOn: (_id, amount) => amount === 13 });
    for (let account = 0; account < 6; account += 1) await t.store.append(`account-${account}`, [opened, ...Array.from({ length: 12 }, (_, i) => deposit(i + 1))]);
    const bad = await t.store.append("account-6", [opened, deposit(13), deposit(2)]);
    await t.store.append("account-7", [opened, deposit(3)]);
    const engine = await t.engine({ maxAttempts: 2 });
    await expect(engine.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    const [status] = await engine.status();
    expect(status).toMatchObject({ state: "failed", eventsApplied: 6 * 13 + 1, failure: { eventId: bad.events[1]?.id, attempts: 2 } });
    const balances = await t.balances();
    expect(balances.find((row) => row.account === "account-6")).toEqual({ account: "account-6", amount: 0, deposits: 0, closed: false });
    expect(balances.find((row) => row.account === "account-7")).toBeUndefined();
    await t.close();
  });

  it("hands the handler only the declared types, filtered in SQL", async () => {
    const t = await setUp(backend, cleanup);
    const seen: string[] = [];
    const onlyDeposits = { ...t.definition, name: "deposits-only", handles: ["MoneyDeposited"] as const, handle: async (events: readonly { type: string }[]) => void seen.push(...events.map((e) => e.type)) };
    await t.store.append("a", [opened, deposit(1), { type: "AccountClosed", data: { reason: "x" } }]);
    const engine = await t.engine({ projections: [onlyDeposits as never] });
    await engine.catchUp();
    expect(seen).toEqual(["MoneyDeposited"]);
    await t.close();
  });

  it("stops as failed on a handler that keeps throwing, records the event and no message, then resumes on retry", async () => {
    let broken = true;
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => broken && amount === 13, batchSize: 50 });
    await t.store.append("a", [opened, deposit(1), deposit(2)]);
    const bad = await t.store.append("b", [opened, deposit(13)]);
    await t.store.append("c", [opened, deposit(3)]);
    const errors: unknown[] = [];
    const engine = await t.engine({ maxAttempts: 3, onError: (error) => errors.push(error) });
    const failure = await engine.catchUp().then(() => undefined, (error: unknown) => error);
    expect(isProjectionError(failure, "PROJECTION_FAILED")).toBe(true);
    const [status] = await engine.status();
    const badEvent = bad.events[1];
    expect(status).toMatchObject({ state: "failed", failure: { eventId: badEvent?.id, eventType: "MoneyDeposited", error: "TypeError", attempts: 3 } });
    const stored = await backend.query(`SELECT * FROM "${t.schema}".projections`);
    expect(JSON.stringify([status, stored], (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain("refusing");
    // Three handler attempts; a loaded server may add a retried infrastructure error (also reported).
    expect(errors.filter((error) => error instanceof TypeError && error.message === "refusing this deposit")).toHaveLength(3);
    // Everything before the failing event is applied, nothing after it.
    expect(await t.balances()).toEqual([
      { account: "a", amount: 3, deposits: 2, closed: false },
      { account: "b", amount: 0, deposits: 0, closed: false },
    ]);
    broken = false;
    await engine.retry("balances");
    await engine.catchUp();
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    expect((await engine.status())[0]).toMatchObject({ state: "live", failure: null, lastError: null });
    await expect(engine.retry("balances")).rejects.toMatchObject({ code: "PROJECTION_NOT_FAILED" });
    await t.close();
  });

  it("skips a failed event only when told to, and records the skip", async () => {
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => amount === 13 });
    await t.store.append("a", [opened, deposit(1)]);
    const bad = await t.store.append("a", [deposit(13), deposit(2)]);
    const engine = await t.engine({ maxAttempts: 2 });
    await expect(engine.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    await engine.skip("balances");
    await engine.catchUp();
    const skipped = new Set([bad.events[0]?.id ?? ""]);
    expect(await t.balances()).toEqual(await foldBalances(t.store, skipped));
    const rows = await backend.query<{ event_id: string }>(`SELECT event_id FROM "${t.schema}".projection_skips WHERE name = 'balances'`);
    expect(rows.map((row) => row.event_id)).toEqual([...skipped]);
    await t.close();
  });

  it("follows live appends after catching up", async () => {
    const t = await setUp(backend, cleanup);
    await t.store.append("a", [opened, deposit(5)]);
    const engine = await t.engine();
    await engine.start();
    await engine.catchUp();
    await t.store.append("a", [deposit(7)]);
    await expect.poll(() => t.balances(), { timeout: 5_000, interval: 20 }).toEqual([{ account: "a", amount: 12, deposits: 2, closed: false }]);
    await t.close();
  });

  it("applies every event of 8 concurrent writers exactly once, in global order", async () => {
    const t = await setUp(backend, cleanup, { batchSize: 25 });
    const engine = await t.engine();
    await engine.start();
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; i < 25; i += 1) await t.store.append(`w-${writer}`, [deposit(i + 1), deposit(1)]);
    });
    await Promise.all(writers);
    await engine.catchUp();
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    // Applied order = the store's global order.
    const order: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await t.store.readAll({ ...(after === undefined ? {} : { after }), limit: 1000 });
      order.push(...page.events.map((event) => event.id));
      after = page.checkpoint;
      if (page.caughtUp) break;
    }
    const applied = await backend.query<{ event_id: string }>(`SELECT event_id FROM "${t.readSchema}".ledger ORDER BY seq`);
    expect(applied.map((row) => row.event_id)).toEqual(order);
    await t.close();
  });

  it("keeps one active runner; a standby takes over when it stops", async () => {
    const t = await setUp(backend, cleanup);
    const handledBy: string[] = [];
    const tracked = (engineName: string) => ({
      ...t.definition,
      handle: async (events: Parameters<typeof t.definition.handle>[0], context: Parameters<typeof t.definition.handle>[1]) => {
        handledBy.push(...events.map(() => engineName));
        await t.definition.handle(events, context);
      },
    });
    const first = await t.engine({ projections: [tracked("first")] });
    const second = await t.engine({ projections: [tracked("second")] });
    await first.start();
    await expect.poll(async () => (await first.status())[0]?.active, { timeout: 5_000 }).toBe(true);
    await second.start();
    await t.store.append("a", [opened, deposit(4)]);
    await first.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handledBy).toEqual(["first", "first"]);
    await first.stop();
    await t.store.append("a", [deposit(6)]);
    await expect.poll(() => t.balances(), { timeout: 5_000, interval: 20 }).toEqual([{ account: "a", amount: 10, deposits: 2, closed: false }]);
    expect(handledBy).toEqual(["first", "first", "second"]);
    await t.close();
  });

  it("wakes on the append notification, long before the polling interval", async () => {
    const t = await setUp(backend, cleanup);
    const engine = await t.engine({ pollMs: 60_000, leaseMs: 600_000 });
    await engine.start();
    await engine.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the runner is waiting now
    const started = Date.now();
    await t.store.append("a", [opened, deposit(3)]);
    await expect.poll(() => t.balances(), { timeout: 5_000, interval: 10 }).toEqual([{ account: "a", amount: 3, deposits: 1, closed: false }]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await t.close();
  });
});
