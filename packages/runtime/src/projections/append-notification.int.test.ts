import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import type { RegistryEvent } from "../registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";

const POLL_MS = 10_000;

describeEachBackend("append notifications", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("wake a started engine on an append from another store instance, well before the poll interval", async () => {
    const t = await setUp(backend, cleanup);
    // On pg the writer is another store with its own pool, as another process would be.
    const url = process.env["DATABASE_URL"];
    const writer: EventStore<RegistryEvent<typeof testRegistry>> =
      backend.name === "postgres" && url !== undefined
        ? await createEventStore({ registry: testRegistry, database: { kind: "postgres", connectionString: url, poolSize: 2 }, schema: t.schema })
        : t.store;
    await writer.append("a", [opened, deposit(1)]);
    const engine = await t.engine({ pollMs: POLL_MS, leaseMs: 3 * POLL_MS });
    await engine.start();
    await expect.poll(() => t.balances(), { timeout: 5_000, interval: 20 }).toEqual([{ account: "a", amount: 1, deposits: 1, closed: false }]);
    // Let the runner go idle: it now waits up to POLL_MS unless notified.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await writer.append("a", [deposit(2)]);
    await expect.poll(() => t.balances(), { timeout: POLL_MS / 2, interval: 10 }).toEqual([{ account: "a", amount: 3, deposits: 2, closed: false }]);
    expect(performance.now() - started).toBeLessThan(POLL_MS / 5);
    if (writer !== t.store) await writer.close();
    await t.close();
  });
});
