/**
 * The store keeps a partitioned events table's partitions ahead by itself: an append past the last
 * partition creates it and succeeds (no operator call), and an open store creates partitions ahead
 * on its timer before any append needs them.
 */
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { createStorage } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { describeEachBackend } from "../testing/backends.js";
import { listEventPartitions } from "./event-partitions.js";
import { partitionEventsTable } from "./partition-events-table.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend("partition upkeep by the store", (backend) => {
  const partitionCount = async (schema: string): Promise<number> => {
    const storage = createStorage(backend.database());
    try {
      return (await listEventPartitions(storage, schema)).length;
    } finally {
      await storage.close();
    }
  };

  it("an append past the last partition creates it and succeeds, alone, in appendMany and in a batch wider than a partition", async () => {
    const schema = backend.freshSchema();
    // No timer: only the heal on append creates partitions here.
    const store = (await createEventStore({ registry: testRegistry, database: backend.database(), schema, partitionUpkeepMs: false })) as unknown as EventStore;
    try {
      await partitionEventsTable({ database: backend.database(), schema, partitionSize: 5, partitionsAhead: 1 });
      // Legacy (up to 5) and one partition ahead (5–10): positions 10 and on have none yet.
      expect(await partitionCount(schema)).toBe(2);
      for (let i = 1; i <= 12; i += 1) await store.append("one", [deposit(i + 1)], { expectedVersion: i - 1 });
      const wide = await store.append("wide", Array.from({ length: 17 }, (_, i) => deposit(i + 1)), { expectedVersion: "no_stream" });
      expect(wide.lastVersion).toBe(17);
      const many = await store.appendMany([
        { streamId: "a", events: Array.from({ length: 6 }, (_, i) => deposit(i + 1)) },
        { streamId: "b", events: Array.from({ length: 6 }, (_, i) => deposit(i + 1)) },
      ]);
      expect(many.map((result) => result.lastVersion)).toEqual([6, 6]);
      const { events } = await readAllUntil(store, 41);
      expect(events.map((event) => `${event.streamId}:${event.version}`)).toEqual([
        ...Array.from({ length: 12 }, (_, i) => `one:${i + 1}`),
        ...Array.from({ length: 17 }, (_, i) => `wide:${i + 1}`),
        ...Array.from({ length: 6 }, (_, i) => `a:${i + 1}`),
        ...Array.from({ length: 6 }, (_, i) => `b:${i + 1}`),
      ]);
      expect(await partitionCount(schema)).toBeGreaterThanOrEqual(9);
    } finally {
      await store.close();
    }
  });

  it("creates partitions ahead on its timer, before an append needs them", async () => {
    const schema = backend.freshSchema();
    const store = (await createEventStore({ registry: testRegistry, database: backend.database(), schema, partitionUpkeepMs: 20 })) as unknown as EventStore;
    try {
      await partitionEventsTable({ database: backend.database(), schema, partitionSize: 5, partitionsAhead: 2 });
      const before = await partitionCount(schema); // legacy, 5–10, 10–15
      expect(before).toBe(3);
      // Positions 1–7: every one has a partition, so no append heals; 7 + 2 × 5 is past 15.
      await store.append("s", Array.from({ length: 7 }, (_, i) => deposit(i + 1)));
      const deadline = Date.now() + 30_000;
      while ((await partitionCount(schema)) <= before) {
        if (Date.now() > deadline) throw new Error("the store's timer created no partition within 30 s");
        await sleep(20);
      }
      expect(await partitionCount(schema)).toBe(before + 1);
    } finally {
      await store.close();
    }
  });

  it("refuses a partitionUpkeepMs that is not a positive integer or false", async () => {
    await expect(createEventStore({ registry: testRegistry, database: backend.database(), schema: backend.freshSchema(), partitionUpkeepMs: 0 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
