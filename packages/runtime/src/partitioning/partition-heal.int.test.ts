/**
 * Concurrent appenders crossing partition boundaries with nobody creating partitions ahead (no
 * maintainer, no timer): each append that finds no partition heals and runs again. Every append
 * succeeds, nothing is lost or duplicated, and the global order a reader followed during the burst
 * is the order read afterwards. Server only (needs concurrency).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { createStorage } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { listEventPartitions } from "./event-partitions.js";
import { partitionEventsTable } from "./partition-events-table.js";

const url = process.env["DATABASE_URL"];
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(url === undefined || url === "")("appends heal missing partitions under concurrency [postgres]", () => {
  let pool: pg.Pool;
  const schema = `strata_test_${randomBytes(6).toString("hex")}`;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 20 });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("eight writers cross many boundaries with no partition made ahead: all appends succeed, nothing lost or reordered", async () => {
    const database = { kind: "postgres" as const, pool };
    // Two stores, as two processes would have: their heals meet on the maintenance advisory lock.
    const stores = [
      (await createEventStore({ registry: testRegistry, database, schema, partitionUpkeepMs: false })) as unknown as EventStore,
      (await createEventStore({ registry: testRegistry, database, schema, partitionUpkeepMs: false })) as unknown as EventStore,
    ];
    const [reading] = stores as [EventStore, EventStore];
    await partitionEventsTable({ database, schema, partitionSize: 20, partitionsAhead: 1 });
    const appended = new Map<string, string>(); // event id → stream:version
    let writing = true;
    const followed: string[] = [];
    let after: string | undefined;
    const reader = (async () => {
      // A deadline with the counts, rather than a silent wait until the test's timeout.
      const deadline = Date.now() + 150_000;
      while (writing || followed.length < appended.size) {
        if (Date.now() > deadline) throw new Error(`reader: ${followed.length} of ${appended.size} events followed, writers ${writing ? "still writing" : "done"}`);
        const page = await reading.readAll({ ...(after === undefined ? {} : { after }), limit: 50 });
        followed.push(...page.events.map((event) => event.id));
        after = page.checkpoint;
        if (page.caughtUp) await sleep(2);
      }
    })();
    try {
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const store = stores[w % 2] as EventStore;
          for (let i = 0; i < 30; i += 1) {
            const streamId = `w${w}-s${i % 3}`;
            const events = Array.from({ length: 1 + ((i + w) % 3) }, (_, k) => ({ ...deposit(k + 1), id: crypto.randomUUID() }));
            const result = await store.append(streamId, events, i < 3 ? { expectedVersion: "no_stream" } : {});
            events.forEach((event, k) => appended.set(event.id, `${streamId}:${result.firstVersion + k}`));
          }
        }),
      );
    } finally {
      writing = false;
      await reader;
    }
    expect(appended.size).toBe(8 * 30 * 2); // 1 + 2 + 3 events, ten times, per writer
    expect(new Set(followed).size).toBe(followed.length);
    expect([...followed].sort()).toEqual([...appended.keys()].sort());
    const again = await readAllUntil(reading, appended.size, { limit: 500 });
    expect(again.events.map((event) => event.id)).toEqual(followed);
    const lastVersion = new Map<string, number>();
    for (const id of followed) {
      const [streamId, version] = (appended.get(id) ?? ":").split(":") as [string, string];
      expect(Number(version), `${streamId} in order`).toBe((lastVersion.get(streamId) ?? 0) + 1);
      lastVersion.set(streamId, Number(version));
    }
    // 480 events in partitions of 20 positions: the heals made at least 24 of them.
    const storage = createStorage(database);
    try {
      expect((await listEventPartitions(storage, schema)).length).toBeGreaterThanOrEqual(25);
    } finally {
      await storage.close();
    }
    for (const store of stores) await store.close();
  }, 180_000);
});
