import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { balancesProjection, foldBalances } from "./balances.fixture.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";
import { bookkeeping } from "./internal/bookkeeping.js";
import { openStoreAccess } from "./internal/store-access.js";

describeEachBackend("projection status after a failure", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("keeps the last error while failed and while a retry has not got past the event, then clears it", async () => {
    let broken = true;
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => broken && amount === 13 });
    await t.store.append("a", [opened, deposit(1)]);
    const bad = await t.store.append("b", [opened, deposit(13)]);
    await t.store.append("a", [deposit(2)]);
    const engine = await t.engine({ maxAttempts: 2 });
    await expect(engine.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    expect((await engine.status())[0]).toMatchObject({ state: "failed", failure: { eventId: bad.events[1]?.id, error: "TypeError" }, lastError: "TypeError" });

    // Resumed, but the event was not applied yet: no failure, the error still shown.
    await engine.retry("balances");
    expect((await engine.status())[0]).toMatchObject({ state: "catching-up", failure: null, lastError: "TypeError" });
    // The handler still throws: failed again, on the same event.
    await expect(engine.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    expect((await engine.status())[0]).toMatchObject({ state: "failed", failure: { eventId: bad.events[1]?.id }, lastError: "TypeError" });

    broken = false;
    await engine.retry("balances");
    expect((await engine.status())[0]).toMatchObject({ failure: null, lastError: "TypeError" });
    await engine.catchUp();
    expect((await engine.status())[0]).toMatchObject({ state: "live", failure: null, lastError: null, lagEvents: 0 });
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    await t.close();
  });

  it("clears the last error on the first commit after a skip, even with no event after the skipped one", async () => {
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => amount === 13 });
    const bad = await t.store.append("a", [opened, deposit(1), deposit(13)]);
    const engine = await t.engine({ maxAttempts: 1 });
    await expect(engine.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    await engine.skip("balances");
    expect((await engine.status())[0]).toMatchObject({ failure: null, lastError: "TypeError" });
    await engine.catchUp();
    expect((await engine.status())[0]).toMatchObject({ state: "live", failure: null, lastError: null, lagEvents: 0 });
    // The skip record keeps the error.
    const skips = await backend.query<{ event_id: string; error: string }>(`SELECT event_id, error FROM "${t.schema}".projection_skips`);
    expect(skips).toEqual([{ event_id: bad.events[2]?.id, error: "TypeError" }]);
    await t.close();
  });

  it("clears the last error when a rebuild completes, and the rebuild re-applies the skipped event", async () => {
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => amount === 13 });
    const bad = await t.store.append("a", [opened, deposit(1), deposit(13)]);
    await t.store.append("b", [opened, deposit(4)]);
    const v1 = await t.engine({ maxAttempts: 1 });
    await expect(v1.catchUp()).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    await v1.skip("balances");
    await v1.close();

    // The fixed handler ships as version 2: only the rebuild runs until the swap.
    const v2 = await t.engine({ projections: [balancesProjection({ name: "balances", schema: t.readSchema, version: 2 })] });
    expect((await v2.status())[0]).toMatchObject({ version: 1, failure: null, lastError: "TypeError" });
    await v2.catchUp();
    expect((await v2.status())[0]).toMatchObject({ version: 2, state: "live", rebuild: null, lastError: null, eventsApplied: 5 });
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    const skips = await backend.query<{ event_id: string }>(`SELECT event_id FROM "${t.schema}".projection_skips`);
    expect(skips.map((row) => row.event_id)).toEqual([bad.events[2]?.id]);
    await t.close();
  });

  it("clears the last error only when the checkpoint that failed commits while running", async () => {
    const schema = backend.freshSchema();
    const access = await openStoreAccess({ database: backend.database(), schema }, testRegistry);
    const book = bookkeeping(schema);
    const run = access.transaction;
    const lastError = async () => (await run((trx) => book.get(trx, "p")))?.last_error;
    const fail = (inRebuild: boolean) =>
      run((trx) => book.markFailed(trx, "p", { eventId: "e-1", eventType: "MoneyDeposited", checkpoint: "c-1", inRebuild, attempts: 3, error: "TypeError" }));
    try {
      await run((trx) => book.register(trx, "p", "projection", 1));
      await run((trx) => book.requestRebuild(trx, "p", 1));

      await fail(false);
      await run((trx) => book.commitLive(trx, "p", 1_000, "c-0", 0, undefined));
      expect(await lastError()).toBe("TypeError"); // still failed
      await run((trx) => book.resume(trx, "p"));
      await run((trx) => book.commitRebuild(trx, "p", 1_000, "r-1", 1));
      expect(await lastError()).toBe("TypeError"); // the live checkpoint failed, not the rebuild's
      await run((trx) => book.commitLive(trx, "p", 1_000, "c-2", 1, undefined));
      expect(await lastError()).toBeNull();

      await fail(true);
      await run((trx) => book.resume(trx, "p"));
      await run((trx) => book.commitLive(trx, "p", 1_000, "c-3", 1, undefined));
      expect(await lastError()).toBe("TypeError");
      await run((trx) => book.commitRebuild(trx, "p", 1_000, "r-2", 1));
      expect(await lastError()).toBeNull();
      expect((await run((trx) => book.get(trx, "p")))?.failed_in_rebuild).toBe(false);

      await fail(true);
      await run((trx) => book.resume(trx, "p"));
      await run((trx) => book.finishRebuild(trx, "p", undefined));
      expect(await lastError()).toBeNull();
    } finally {
      await access.close();
    }
  });
});
