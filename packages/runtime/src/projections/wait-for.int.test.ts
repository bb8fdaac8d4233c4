/** Read-your-writes: `waitFor` resolves once the named projections applied an append, or says who lags. */
import { afterAll, expect, it } from "vitest";
import { rejection } from "../../test/fixtures/rejection.js";
import { isStrataError } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";

describeEachBackend("waitFor", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("resolves once a running engine applied the append, so the read model shows it", async () => {
    const t = await setUp(backend, cleanup);
    const engine = await t.engine({ pollMs: 1_000 });
    await engine.start();
    for (let round = 1; round <= 5; round += 1) {
      const result = await t.store.append("a", round === 1 ? [opened, deposit(1)] : [deposit(round)]);
      await engine.waitFor(result, { projections: ["balances"], timeoutMs: 10_000 });
      expect((await t.balances())[0]?.deposits).toBe(round);
    }
    // An already applied position resolves at once; a checkpoint string works too.
    const last = await t.store.append("b", [opened]);
    await engine.waitFor(last.events[0]?.checkpoint ?? "", { timeoutMs: 10_000 });
    await engine.waitFor(last);
    await t.close();
  });

  it("rejects with a typed timeout naming the laggards when nothing applies the events", async () => {
    const t = await setUp(backend, cleanup);
    const engine = await t.engine();
    const result = await t.store.append("a", [opened]);
    const error = await rejection(engine.waitFor(result, { timeoutMs: 150 }));
    expect(isStrataError(error, "PROJECTION_WAIT_TIMEOUT")).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 150, laggards: [{ name: "balances", state: "running", position: null }] });
    expect((error as Error).message).toContain('"balances"');
    expect(isStrataError(await rejection(engine.waitFor(result, { projections: ["nope"] })), "PROJECTION_NOT_FOUND")).toBe(true);
    await t.close();
  });

  it("rejects at once when a named projection is failed", async () => {
    const t = await setUp(backend, cleanup, { failOn: (_id, amount) => amount === 13 });
    const engine = await t.engine({ maxAttempts: 1 });
    const result = await t.store.append("a", [opened, deposit(13)]);
    await engine.catchUp().catch(() => undefined);
    expect(isStrataError(await rejection(engine.waitFor(result, { timeoutMs: 10_000 })), "PROJECTION_FAILED")).toBe(true);
    await t.close();
  });
});
