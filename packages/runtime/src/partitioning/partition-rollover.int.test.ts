/**
 * Partitions roll over under load: writers append to a store partitioned in small ranges while
 * the maintainer creates partitions ahead, append transactions are held open across several
 * rollovers, and a reader follows the global order all along. Nothing is lost, duplicated or
 * reordered; held transactions never block partition creation. Server only (needs concurrency).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { createStorage } from "../storage/create-storage.js";
import type { Storage } from "../storage/storage.js";
import { appendBatch } from "../store/append.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { prepareBatch } from "../store/prepare-events.js";
import { buildStatements } from "../store/statements.js";
import { partitionEventsTable } from "./partition-events-table.js";
import { maintainEventPartitions } from "./partition-maintainer.js";

const url = process.env["DATABASE_URL"];
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

describe.skipIf(url === undefined || url === "")("partition rollover under load [postgres]", () => {
  let pool: pg.Pool;
  const schema = `strata_test_${randomBytes(6).toString("hex")}`;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 20 });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("loses, duplicates and reorders nothing while partitions roll over with append transactions held open", async () => {
    const database = { kind: "postgres" as const, pool };
    const store = (await createEventStore({ registry: testRegistry, database, schema })) as unknown as EventStore;
    const storage: Storage = createStorage(database);
    await partitionEventsTable({ database, schema, partitionSize: 40, partitionsAhead: 8 });
    // Headroom: 8 partitions of 40 positions ahead; the writers below append a few hundred events a second.
    const maintenance = await maintainEventPartitions({ database, schema, intervalMs: 5 });
    const partitionCount = async () => (await maintenance.partitions()).length;
    const appended = new Map<string, string>(); // event id → stream:version
    let stop = false;
    // The reader stops only once every writer has returned: an append still in flight when `stop`
    // is set lands in `appended` after it returns, and the reader must wait for it.
    let writersDone = false;

    // Reader: follows the global order from the start for the whole run.
    const followed: string[] = [];
    let readerCheckpoint: string | undefined;
    const reader = (async () => {
      while (!writersDone || followed.length < appended.size) {
        const page = await store.readAll({ ...(readerCheckpoint === undefined ? {} : { after: readerCheckpoint }), limit: 50 });
        followed.push(...page.events.map((event) => event.id));
        readerCheckpoint = page.checkpoint;
        if (page.caughtUp) await sleep(2);
      }
    })();

    // Four writers, four streams each, batches of 1–3 events, until told to stop.
    const writers = Array.from({ length: 4 }, async (_, w) => {
      const versions = new Map<string, number>();
      for (let i = 0; !stop; i += 1) {
        const streamId = `w${w}-s${i % 4}`;
        const version = versions.get(streamId) ?? 0;
        const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ ...deposit(k + 1), id: crypto.randomUUID() }));
        const result = await store.append(streamId, events, { expectedVersion: version });
        events.forEach((event, k) => appended.set(event.id, `${streamId}:${version + k + 1}`));
        versions.set(streamId, result.nextExpectedVersion);
      }
    });

    /** An append held open in its own transaction until released. */
    const hold = async (streamId: string): Promise<{ release(): Promise<void> }> => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inside: () => void = () => undefined;
      const appendedInside = new Promise<void>((resolve) => (inside = resolve));
      const events = [deposit(1), deposit(2)].map((event) => ({ ...event, id: crypto.randomUUID() }));
      const done = storage.transaction(async (tx) => {
        await appendBatch(tx, buildStatements(schema), prepareBatch(testRegistry, streamId, events, "no_stream", undefined), true);
        inside();
        await held;
      });
      await appendedInside;
      return {
        release: async () => {
          release();
          await done;
          events.forEach((event, k) => appended.set(event.id, `${streamId}:${k + 1}`));
        },
      };
    };

    try {
      const start = await partitionCount();
      const first = await hold("held-1");
      await until("3 partitions were created while held-1 is open", async () => (await partitionCount()) >= start + 3);
      const second = await hold("held-2");
      const before = followed.length;
      await until("2 more partitions were created while both are open", async () => (await partitionCount()) >= start + 5);
      await first.release();
      await until("1 more partition", async () => (await partitionCount()) >= start + 6);
      await second.release();
      await until("2 more partitions after both committed", async () => (await partitionCount()) >= start + 8);
      // The reader went on after the held appends committed (it waited for them, see the checks below).
      expect(followed.length).toBeGreaterThan(before);
    } finally {
      stop = true;
      await Promise.all(writers);
      writersDone = true;
      await reader;
      await maintenance.stop();
    }

    // Nothing lost or duplicated: the reader saw every appended event exactly once.
    expect(followed.length).toBe(appended.size);
    expect(new Set(followed).size).toBe(appended.size);
    expect([...followed].sort()).toEqual([...appended.keys()].sort());
    // Nothing reordered: the same total order as a read from the start afterwards, and each stream in version order.
    const again = await readAllUntil(store, appended.size, { limit: 500 });
    expect(again.events.map((event) => event.id)).toEqual(followed);
    const lastVersion = new Map<string, number>();
    for (const id of followed) {
      const [streamId, version] = (appended.get(id) ?? ":").split(":") as [string, string];
      expect(Number(version), `${streamId} in order`).toBe((lastVersion.get(streamId) ?? 0) + 1);
      lastVersion.set(streamId, Number(version));
    }
    // The events really are spread over the partitions.
    const spread = await pool.query<{ n: number }>(`SELECT count(DISTINCT tableoid)::int AS n FROM "${schema}".events`);
    expect(spread.rows[0]?.n).toBeGreaterThanOrEqual(8);
    await storage.close();
    await store.close();
  }, 180_000);
});
