/**
 * Failures are visible: a rebuild that fails shows its state and error in `status`, and
 * `projectionHealth` turns that into a degraded verdict with a reason — whether the handler fails
 * (the projection stops, `failed`, `rebuild.failed`) or the rebuild's read-model migration keeps
 * failing (retried without end, so `rebuilding` with `lastError`).
 */
import { afterAll, expect, it } from "vitest";
import { describeEachBackend } from "../testing/backends.js";
import { balancesProjection } from "./balances.fixture.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";
import { projectionHealth } from "./projection-health.js";

describeEachBackend("rebuild failure status", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("a handler failing during a rebuild: failed, with the rebuild marked and the error; health degraded", async () => {
    const t = await setUp(backend, cleanup);
    await t.store.append("a", [opened, deposit(5), deposit(13)]);
    const first = await t.engine();
    await first.catchUp();
    await first.close();
    const failing = { ...balancesProjection({ name: "balances", schema: t.readSchema, version: 2, failOn: (_id, amount) => amount === 13 }) };
    const engine = await t.engine({ projections: [failing], maxAttempts: 2 });
    await engine.start();
    await expect.poll(async () => (await engine.status("balances"))[0]?.state, { timeout: 20_000, interval: 20 }).toBe("failed");
    const [status] = await engine.status("balances");
    expect(status).toMatchObject({ state: "failed", version: 1, rebuild: { version: 2, failed: true }, lastError: "TypeError", failure: { eventType: "MoneyDeposited", attempts: 2 } });
    const health = projectionHealth(await engine.status());
    expect(health.status).toBe("degraded");
    expect(health.reasons[0]).toMatch(/^projection "balances" failed rebuilding v2 on event .* \(MoneyDeposited\) with TypeError after 2 attempt\(s\)$/);
    await t.close();
  });

  it("a rebuild whose read-model migration keeps failing: rebuilding, with the error; health degraded", async () => {
    const t = await setUp(backend, cleanup);
    await t.store.append("a", [opened, deposit(5)]);
    const first = await t.engine();
    await first.catchUp();
    await first.close();
    const base = balancesProjection({ name: "balances", schema: t.readSchema, version: 2 });
    const broken = {
      ...base,
      migrations: { ...base.migrations, "002-broken": { up: async () => Promise.reject(new RangeError("no such column")) } },
    };
    const engine = await t.engine({ projections: [broken], maxAttempts: 2 });
    await engine.start();
    await expect.poll(async () => (await engine.status("balances"))[0]?.lastError ?? null, { timeout: 20_000, interval: 20 }).not.toBeNull();
    const [status] = await engine.status("balances");
    expect(status).toMatchObject({ state: "rebuilding", version: 1, rebuild: { version: 2, failed: false }, failure: null });
    expect(status?.lastError).toMatch(/Error/);
    expect(status?.lastError).not.toContain("no such column");
    expect(projectionHealth(await engine.status())).toMatchObject({ status: "degraded", reasons: [expect.stringMatching(/^projection "balances" rebuilding v2 last failed with /)] });
    await t.close();
  });
});
