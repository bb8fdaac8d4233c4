/**
 * Races. On PostgreSQL these run on real concurrent connections; on PGlite (one connection)
 * the same code runs serialised, which proves the queueing but not the race handling. The
 * held-open transaction test checks on pg that its scenario really happened: a naive reader
 * ordered by position alone, running beside the store's reader, loses events.
 */
import { v7 as uuidv7 } from "uuid";
import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { createStorage } from "../storage/create-storage.js";
import { describeEachBackend } from "../testing/backends.js";
import { appendBatch } from "./append.js";
import { compareCheckpointParts, decodeCheckpoint } from "./checkpoint.js";
import { prepareBatch } from "./prepare-events.js";
import type { RecordedEvent } from "./recorded-event.js";
import { buildStatements } from "./statements.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend("concurrency", (backend) => {
  for (const writers of [8, 32]) {
    it(`${writers} writers on one stream with expected versions and retries leave versions 1..N, no gap, no duplicate`, async () => {
      const store = await backend.createStore(testRegistry);
      const appendsPerWriter = 5;
      let conflicts = 0;
      const writer = async (w: number) => {
        let expected = (await store.streamVersion("hot")) ?? 0;
        for (let i = 0; i < appendsPerWriter; i += 1) {
          for (;;) {
            try {
              const result = await store.append("hot", [deposit(w * 1000 + i * 10 + 1), deposit(w * 1000 + i * 10 + 2)], { expectedVersion: expected });
              expected = result.nextExpectedVersion;
              break;
            } catch (error) {
              if (!isStrataError(error, "STREAM_CONFLICT")) throw error;
              conflicts += 1;
              expected = error.actualVersion;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: writers }, (_, w) => writer(w + 1)));
      const events: RecordedEvent[] = [];
      for await (const event of store.readStream("hot")) events.push(event);
      const total = writers * appendsPerWriter * 2;
      expect(events.map((event) => event.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const amounts = events.map((event) => (event.data as { amount: number }).amount);
      expect(new Set(amounts).size).toBe(total);
      // Each append's two events stay adjacent: batches never interleave.
      for (let i = 0; i < total; i += 2) expect(amounts[i + 1]).toBe((amounts[i] ?? 0) + 1);
      if (backend.concurrent) expect(conflicts).toBeGreaterThan(0);
    });
  }

  it("16 writers appending with expectedVersion any to one stream never collide", async () => {
    const store = await backend.createStore(testRegistry);
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < 5; i += 1) await store.append("any", [deposit(w * 100 + i + 1)]);
    }));
    const versions: number[] = [];
    for await (const event of store.readStream("any")) versions.push(event.version);
    expect(versions).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it("8 concurrent retries of one append with the same ids write it once and all return the original result", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("retried", [deposit(1)]);
    const batch = [
      { ...deposit(2), id: uuidv7() },
      { ...deposit(3), id: uuidv7() },
    ];
    const results = await Promise.all(Array.from({ length: 8 }, () => store.append("retried", batch)));
    for (const result of results) expect(result).toEqual(results[0]);
    const versions: number[] = [];
    for await (const event of store.readStream("retried")) versions.push(event.version);
    expect(versions).toEqual([1, 2, 3]);
  });

  it("a tailing reader gets every event exactly once and in order while writers race and some transactions stay open", async () => {
    const store = await backend.createStore(testRegistry);
    const schema = backend.freshSchema();
    await store.close();
    const tailStore = await backend.createStore(testRegistry, { schema });
    const storage = createStorage(backend.database());
    const statements = buildStatements(schema);
    const appended: RecordedEvent[] = [];
    let writersDone = false;

    // A naive reader that trusts the position order; on pg it must lose the held events.
    let naiveLast = 0n;
    const naiveSeen = new Set<string>();
    const naiveTail = async () => {
      while (!writersDone) {
        const rows = await backend.query<{ event_id: string; global_position: string }>(
          `SELECT event_id::text AS event_id, global_position FROM "${schema}".events WHERE global_position > $1 ORDER BY global_position LIMIT 100`,
          [naiveLast.toString()],
        );
        for (const row of rows) {
          naiveSeen.add(row.event_id);
          naiveLast = BigInt(row.global_position);
        }
        await sleep(2);
      }
    };

    // Holders need a second connection: on PGlite (one connection, one queue) a held transaction
    // cannot overlap other statements, so there the test covers racing writers and the tail only.
    const holders = backend.concurrent ? 3 : 0;
    let holding = holders;
    // Writers keep appending while any holder still holds, so later positions always commit first.
    const writer = async (w: number) => {
      for (let i = 0; i < 15 || (holding > 0 && i < 2000); i += 1) {
        const result = await tailStore.append(`writer-${w}`, [deposit(i + 1), deposit(i + 2)].slice(0, 1 + (i % 2)));
        appended.push(...result.events);
      }
    };
    const holder = async (h: number) => {
      try {
        await sleep(5 * h);
        const batch = prepareBatch(testRegistry, `held-${h}`, [deposit(1), deposit(2)], "any", undefined);
        const result = await storage.transaction(async (tx) => {
          const inside = await appendBatch(tx, statements, batch, true);
          const position = inside.events[0]?.globalPosition ?? 0n;
          // Hold the transaction until later positions have committed and the naive reader passed ours.
          const deadline = Date.now() + 10_000;
          while (naiveLast <= position && Date.now() < deadline) await sleep(2);
          return inside;
        });
        appended.push(...result.events);
      } finally {
        holding -= 1;
      }
    };

    const delivered: RecordedEvent[] = [];
    const tail = async () => {
      let checkpoint: string | undefined;
      let giveUpAt: number | undefined;
      for (;;) {
        const page = await tailStore.readAll({ after: checkpoint, limit: 7 });
        delivered.push(...page.events);
        checkpoint = page.checkpoint;
        if (page.caughtUp) {
          if (writersDone && delivered.length >= appended.length) return;
          // A reader that skipped events would wait forever; stop and let the assertions say which.
          giveUpAt ??= writersDone ? Date.now() + 10_000 : undefined;
          if (giveUpAt !== undefined && Date.now() > giveUpAt) return;
          await sleep(3);
        }
      }
    };

    const readers = [tail(), ...(backend.concurrent ? [naiveTail()] : [])];
    await Promise.all([...Array.from({ length: 6 }, (_, w) => writer(w)), ...Array.from({ length: holders }, (_, h) => holder(h))]);
    writersDone = true;
    await Promise.all(readers);
    await storage.close();

    const ids = delivered.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(appended.map((event) => event.id)));
    for (let i = 1; i < delivered.length; i += 1) {
      const previous = delivered[i - 1];
      const current = delivered[i];
      if (previous === undefined || current === undefined) continue;
      expect(compareCheckpointParts(decodeCheckpoint(previous.checkpoint), decodeCheckpoint(current.checkpoint))).toBe(-1);
    }
    // Within a stream the global order keeps stream order.
    const byStream = new Map<string, number[]>();
    for (const event of delivered) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.version]);
    for (const streamVersions of byStream.values()) expect(streamVersions).toEqual(streamVersions.map((_, i) => i + 1));
    if (backend.concurrent) {
      const lost = appended.filter((event) => !naiveSeen.has(event.id));
      // The naive reader lost the held transactions' events (and often racing writers' too).
      expect(lost.some((event) => event.streamId.startsWith("held-"))).toBe(true);
    }
  });
});
