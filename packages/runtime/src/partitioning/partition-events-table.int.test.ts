/**
 * The migration of an unpartitioned store to an events table partitioned by global position:
 * the existing rows stay (as the first partition), and appends, stream reads, the global order
 * and idempotent retries behave as before, across partition boundaries.
 */
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { createStorage } from "../storage/create-storage.js";
import { describeEachBackend } from "../testing/backends.js";
import type { EventStore } from "../store/event-store.js";
import { ensureEventPartitions, listEventPartitions } from "./event-partitions.js";
import { partitionEventsTable } from "./partition-events-table.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };

async function versions(store: EventStore, streamId: string): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of store.readStream(streamId)) seen.push(event.version);
  return seen;
}

describeEachBackend("partitioned events table", (backend) => {
  it("converts a store in place: old events stay readable, new ones land in new partitions, order and idempotency hold", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    await store.append("old", [opened, deposit(1), deposit(2)]);
    await store.append("both", [opened]);

    const report = await partitionEventsTable({ database: backend.database(), schema, partitionSize: 5, partitionsAhead: 2 });
    expect(report.converted).toBe(true);
    // Positions 1–4 are taken: the legacy table covers up to 5, then two partitions of 5 ahead.
    expect(report.partitions).toEqual([
      { table: "events_legacy", bounds: "FOR VALUES FROM (MINVALUE) TO ('5')" },
      { table: "events_p0000000000000000005", bounds: "FOR VALUES FROM ('5') TO ('10')" },
      { table: "events_p0000000000000000010", bounds: "FOR VALUES FROM ('10') TO ('15')" },
    ]);
    expect(await backend.query<{ kind: string }>(`SELECT relkind::text AS kind FROM pg_class WHERE oid = '"${schema}".events'::regclass`)).toEqual([{ kind: "p" }]);
    expect((await partitionEventsTable({ database: backend.database(), schema, partitionSize: 5 })).converted).toBe(false);
    // The old table keeps its primary key and global-order index; each new partition has the same
    // two. No index on event_id: ids are unique and found through event_ids (migration 0008).
    const indexes = await backend.query<{ table: string; index: string; unique: boolean }>(
      `SELECT c.relname AS table, i.relname AS index, x.indisunique AS unique FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname IN ('events_legacy', 'events_p0000000000000000005') ORDER BY 1, 2`,
      [schema],
    );
    expect(indexes).toEqual([
      { table: "events_legacy", index: "events_global_order", unique: false },
      { table: "events_legacy", index: "events_pkey", unique: true },
      { table: "events_p0000000000000000005", index: "events_p0000000000000000005_pkey", unique: true },
      { table: "events_p0000000000000000005", index: "events_p0000000000000000005_transaction_id_global_position_idx", unique: false },
    ]);

    // The same store object keeps working: appends cross into the new partitions.
    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    const first = await store.append("both", ids.map((id, i) => ({ ...deposit(i + 1), id })));
    expect(first.nextExpectedVersion).toBe(7);
    const storage = createStorage(backend.database());
    try {
      expect(await ensureEventPartitions(storage, schema)).toBeGreaterThan(0);
      const partitions = await listEventPartitions(storage, schema);
      expect(partitions.length).toBeGreaterThan(3);
    } finally {
      await storage.close();
    }
    await store.append("new", [opened, deposit(9)]);
    // A retried append with the same ids replays the stored result, whichever partitions hold them.
    const retried = await store.append("both", ids.map((id, i) => ({ ...deposit(i + 1), id })));
    expect(retried).toEqual(first);
    expect(await versions(store, "old")).toEqual([1, 2, 3]);
    expect(await versions(store, "both")).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const { events } = await readAllUntil(store, 12);
    expect(events.map((event) => `${event.streamId}:${event.version}`)).toEqual([
      "old:1", "old:2", "old:3", "both:1", "both:2", "both:3", "both:4", "both:5", "both:6", "both:7", "new:1", "new:2",
    ]);
    const placed = await backend.query<{ table: string; n: number }>(
      `SELECT tableoid::regclass::text AS table, count(*)::int AS n FROM "${schema}".events GROUP BY 1 ORDER BY 1`,
    );
    expect(placed.map((row) => row.n).reduce((a, b) => a + b, 0)).toBe(12);
    expect(placed.length).toBeGreaterThanOrEqual(3);
  });
});
