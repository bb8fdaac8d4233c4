import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { describeEachBackend } from "../testing/backends.js";
import { deposit, opened, setUp } from "./engine-setup.fixture.js";
import { defineSubscription } from "./subscription.js";

describeEachBackend("outbox subscription", (backend) => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const schema of cleanup) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("delivers each handled event at least once, with its id, retrying failures without skipping", async () => {
    const t = await setUp(backend, cleanup);
    const delivered: string[] = [];
    let failures = 2;
    const mails = defineSubscription(testRegistry, {
      name: "welcome-mails",
      handles: ["AccountOpened"],
      batchSize: 3,
      handle: async (events) => {
        if (events.some((event) => event.streamId === "c") && failures > 0) {
          failures -= 1;
          throw new Error("broker down");
        }
        delivered.push(...events.map((event) => event.id));
      },
    });
    const results = [];
    for (const stream of ["a", "b", "c", "d"]) results.push(await t.store.append(stream, [opened, deposit(1)]));
    const engine = await t.engine({ projections: [], subscriptions: [mails] });
    await engine.catchUp();
    const openedIds = results.map((result) => result.events[0]?.id);
    // At least once: a retried batch may deliver an event again; deduplicated by id, all are there in order.
    expect([...new Set(delivered)]).toEqual(openedIds);
    expect((await engine.status("welcome-mails"))[0]).toMatchObject({ kind: "subscription", state: "live", lagEvents: 0, eventsApplied: 4 });
    await engine.start();
    const late = await t.store.append("e", [opened]);
    await expect.poll(() => delivered.at(-1), { timeout: 5_000, interval: 10 }).toBe(late.events[0]?.id);
    await t.close();
  });
});
