import { afterAll, expect, it } from "vitest";
import { describeEachBackend } from "../testing/backends.js";
import { balancesProjection, foldBalances } from "./balances.fixture.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";

const yieldToTimers = () => new Promise((resolve) => setTimeout(resolve, 1));

describeEachBackend("projection rebuild", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("rebuilds into fresh tables under write load; queries keep working and the swap equals a fold", async () => {
    const t = await setUp(backend, cleanup, { batchSize: 20 });
    for (let account = 0; account < 10; account += 1) await t.store.append(`acc-${account}`, [opened, ...Array.from({ length: 20 }, (_, i) => deposit(i + 1))]);
    const engine = await t.engine();
    await engine.catchUp();
    await engine.start();
    let writing = true;
    // Bounded: on a loaded machine an endless writer can outpace the rebuild, which then never
    // reaches the head. A few hundred appends still interleave with the whole rebuild.
    const writer = (async () => {
      for (let i = 0; writing && i < 300; i += 1) {
        await t.store.append(`acc-${i % 10}`, [deposit(1)]);
        await yieldToTimers(); // PGlite may answer in microtasks only: let timers run.
      }
    })();
    const readErrors: unknown[] = [];
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        await t.balances().then(() => (reads += 1), (error: unknown) => readErrors.push(error));
        await yieldToTimers();
      }
    })();
    await engine.rebuild("balances");
    await expect.poll(async () => (await engine.status())[0]?.rebuild !== null, { timeout: 5_000, interval: 5 }).toBe(true);
    await expect.poll(async () => (await engine.status())[0]?.rebuild, { timeout: 30_000, interval: 20 }).toBeNull();
    writing = false;
    await Promise.all([writer, reader]);
    await engine.catchUp();
    expect(readErrors).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    const [status] = await engine.status();
    expect(status).toMatchObject({ state: "live", version: 1, lagEvents: 0 });
    const ledger = await backend.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.readSchema}".ledger`);
    expect(ledger[0]?.n).toBe(status?.eventsApplied);
    const leftovers = await backend.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('${t.readSchema}__rebuild', '${t.readSchema}__old')`);
    expect(leftovers).toEqual([]);
    await t.close();
  }, 60_000);

  it("rebuilds into fresh tables when the projection's version is bumped", async () => {
    const t = await setUp(backend, cleanup);
    await t.store.append("a", [opened, deposit(2), deposit(3)]);
    const v1 = await t.engine();
    await v1.catchUp();
    await v1.close();
    await t.store.append("a", [deposit(4)]);
    const v2 = await t.engine({ projections: [balancesProjection({ name: "balances", schema: t.readSchema, version: 2 })] });
    expect((await v2.status())[0]).toMatchObject({ version: 1 });
    await v2.catchUp();
    expect((await v2.status())[0]).toMatchObject({ version: 2, state: "live", rebuild: null, eventsApplied: 4 });
    expect(await t.balances()).toEqual(await foldBalances(t.store));
    await t.close();
  });
});
