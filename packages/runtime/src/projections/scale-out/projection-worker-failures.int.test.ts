/**
 * Scaled-out projections follow the engine's failure policy, per partition, and rebuild while
 * workers run. A poisoned deposit (amount 13) makes the balances handler throw: under `"stop"`
 * its partition stops (the others go on) until an operator retries or skips it; under
 * `"dead-letter"` the event is recorded, the later events of its stream are parked, and the
 * partition goes on. A rebuild replays every event into fresh tables while appends go on. Server
 * only: several workers need concurrent connections.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { createEventStore } from "../../store/create-event-store.js";
import type { EventStore } from "../../store/event-store.js";
import { balancesProjection, foldBalances, readBalances } from "../balances.fixture.js";
import type { ProjectionFailurePolicy } from "../runner-settings.js";
import { createProjectionWorker } from "./projection-worker.js";
import type { ProjectionWorker } from "./projection-worker.js";

const url = process.env["DATABASE_URL"];
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PARTITIONS = 4;

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe.skipIf(url === undefined || url === "")("scaled-out projections: failure policy and rebuild [postgres]", () => {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const workers: ProjectionWorker[] = [];
  const stores: EventStore[] = [];
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 20 });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    for (const store of stores) await store.close();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const setup = async (failure?: ProjectionFailurePolicy, refuse: (amount: number) => boolean = (amount) => amount === 13) => {
    const tag = randomBytes(5).toString("hex");
    const schema = `strata_test_${tag}`;
    const readModel = `rm_${tag}`;
    schemas.push(schema, readModel);
    const store = (await createEventStore({ registry: testRegistry, database: { kind: "postgres", pool }, schema })) as unknown as EventStore;
    stores.push(store);
    const projection = { ...balancesProjection({ name: "balances", schema: readModel, batchSize: 20, failOn: (_id, amount) => refuse(amount) }), ...(failure === undefined ? {} : { failure }) };
    const errors: { readonly partition: number | undefined; readonly attempt: number | undefined }[] = [];
    const worker = (id: string): ProjectionWorker => {
      const created = createProjectionWorker({
        database: { kind: "postgres", connectionString: url ?? "", poolSize: 3 },
        schema,
        registry: testRegistry,
        projection,
        partitions: PARTITIONS,
        workerId: id,
        leaseMs: 3_000,
        pollMs: 10,
        onError: (_error, info) => errors.push({ partition: info.partition, attempt: info.attempt }),
      });
      workers.push(created);
      return created;
    };
    const partitionOf = async (streamId: string): Promise<number> =>
      (await pool.query<{ p: number }>(`SELECT ((hashtextextended($1, 0) % ${PARTITIONS} + ${PARTITIONS}) % ${PARTITIONS})::int AS p`, [streamId])).rows[0]?.p ?? -1;
    const balances = () => readBalances(async (text) => (await pool.query(text)).rows, readModel);
    const applied = async (of: ProjectionWorker) => (await of.status()).reduce((sum, partition) => sum + partition.eventsApplied, 0);
    return { schema, readModel, store, worker, errors, partitionOf, balances, applied };
  };

  /** Opens `count` accounts (named `acc-<n>`) with one deposit each: 2 events per stream. */
  const openAccounts = async (store: EventStore, count: number): Promise<void> => {
    for (let n = 0; n < count; n += 1) await store.append(`acc-${n}`, [opened, deposit(n + 1)]);
  };

  it('"stop" stops only the partition of the failing event, until a retry (which fails again) and a skip, recorded', async () => {
    const { schema, store, worker, errors, partitionOf, balances, applied } = await setup({ maxAttempts: 2, backoff: { initialMs: 1, maxMs: 5 }, onExhausted: "stop" });
    const w1 = worker("w1");
    const w2 = worker("w2");
    await w1.start();
    await w2.start();
    // Settled first: a partition that moved between attempts would count them again from 1.
    await until("w1 and w2 hold 2 partitions each", () => w1.held().length === 2 && w2.held().length === 2);
    await openAccounts(store, 12);
    const poisoned = await store.append("poisoned", [opened, deposit(13), deposit(5)]);
    const poison = poisoned.events[1];
    const stopped = await partitionOf("poisoned");
    await until("the poisoned partition stopped", async () => (await w1.status())[stopped]?.state === "failed");
    const failed = (await w1.status())[stopped];
    expect(failed?.failure).toEqual({ eventId: poison?.id, eventType: "MoneyDeposited", attempts: 2, error: "TypeError" });
    expect(errors.filter((error) => error.partition === stopped && error.attempt !== undefined).map((error) => error.attempt)).toEqual([1, 2]);
    // The other partitions go on: every account in them gets a second deposit applied.
    const others: string[] = [];
    for (let n = 0; n < 12; n += 1) if ((await partitionOf(`acc-${n}`)) !== stopped) others.push(`acc-${n}`);
    expect(others.length).toBeGreaterThan(0);
    for (const streamId of others) await store.append(streamId, [deposit(100)]);
    await until("the other partitions applied the new deposits", async () => {
      const rows = await balances();
      return others.every((account) => rows.find((row) => row.account === account)?.deposits === 2);
    });
    expect((await w1.status())[stopped]?.state).toBe("failed");
    await expect(w1.retry(stopped === 0 ? 1 : 0)).rejects.toMatchObject({ code: "PROJECTION_NOT_FAILED" });

    // A retry tries the event again: it still fails, so the partition stops again.
    await w2.retry(stopped);
    await until("the partition failed again after the retry", async () => errors.filter((error) => error.partition === stopped && error.attempt !== undefined).length === 4 && (await w1.status())[stopped]?.state === "failed");
    // A skip moves past it, recorded, and the partition applies the rest of its events.
    await w2.skip(stopped);
    const total = 12 * 2 + 3 + others.length - 1;
    await until("every event but the skipped one is applied", async () => (await applied(w1)) === total);
    expect(await balances()).toEqual(await foldBalances(store, new Set([poison?.id ?? ""])));
    const skips = await pool.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".projection_skips WHERE name = 'balances'`);
    expect(skips.rows.map((row) => row.event_id)).toEqual([poison?.id]);
    await expect(w1.skip(stopped)).rejects.toMatchObject({ code: "PROJECTION_NOT_FAILED" });
  }, 120_000);

  it('"dead-letter" records the failing event, parks the later events of its stream, and the partition goes on; a retry applies them in order', async () => {
    let refusing = true;
    const { readModel, store, worker, partitionOf, balances, applied } = await setup({ maxAttempts: 2, backoff: { initialMs: 1, maxMs: 5 }, onExhausted: "dead-letter" }, (amount) => refusing && amount === 13);
    const w1 = worker("w1");
    await w1.start();
    const poisoned = await store.append("poisoned", [opened, deposit(13), deposit(5)]);
    // A stream in the same partition, appended after the poison: applied all the same.
    const partition = await partitionOf("poisoned");
    let neighbour = "";
    for (let n = 0; neighbour === ""; n += 1) if ((await partitionOf(`neighbour-${n}`)) === partition) neighbour = `neighbour-${n}`;
    await store.append(neighbour, [opened, deposit(7)]);
    await openAccounts(store, 8);
    await until("every event but the dead-lettered and parked ones is applied", async () => (await applied(w1)) === 1 + 2 + 8 * 2);
    const letters = await w1.deadLetters();
    expect(letters.map((letter) => [letter.eventId, letter.status, letter.attempts, letter.errorCode])).toEqual([
      [poisoned.events[1]?.id, "failed", 2, "TypeError"],
      [poisoned.events[2]?.id, "parked", 0, null],
    ]);
    expect((await w1.status()).every((status) => status.state === "running")).toBe(true);
    expect(await balances()).toEqual(await foldBalances(store, new Set([poisoned.events[1]?.id ?? "", poisoned.events[2]?.id ?? ""])));
    expect((await balances()).find((row) => row.account === neighbour)?.amount).toBe(7);

    // The engine's dead-letter operations: a retry that fails again raises the attempts…
    const again = await w1.retryDeadLetters();
    expect(again.applied).toBe(0);
    expect(again.failed.map((letter) => [letter.eventId, letter.attempts])).toEqual([[poisoned.events[1]?.id, 3]]);
    await expect(w1.dropDeadLetter(poisoned.events[2]?.id ?? "")).rejects.toMatchObject({ code: "PROJECTION_DEAD_LETTER_NOT_FOUND" });
    // …and once the handler accepts the event, the stream is applied in order and the letters are gone.
    refusing = false;
    expect(await w1.retryDeadLetters(poisoned.events[1]?.id)).toEqual({ applied: 2, failed: [] });
    expect(await w1.deadLetters()).toEqual([]);
    expect(await balances()).toEqual(await foldBalances(store));
    const { rows } = await pool.query<{ version: number }>(`SELECT version FROM "${readModel}".ledger WHERE stream_id = 'poisoned' ORDER BY seq`);
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
  }, 120_000);

  it("rebuilds from position 0 into fresh tables while workers run and appends go on: every event applied once, in stream order", async () => {
    const { readModel, store, worker, balances, applied } = await setup(undefined, () => false);
    const w1 = worker("w1");
    const w2 = worker("w2");
    await w1.start();
    await w2.start();
    await openAccounts(store, 16);
    await until("the first events are applied", async () => (await applied(w1)) === 32);
    // A row the events do not explain: gone after the rebuild (fresh tables, not a re-run on top).
    await pool.query(`INSERT INTO "${readModel}".balances (account, amount, deposits, closed) VALUES ('stray', 1, 1, false)`);
    let appending = true;
    let appendedDuring = 0;
    const writer = (async () => {
      for (let round = 1; appending || round <= 3; round += 1) {
        for (let n = 0; n < 16; n += 1) await store.append(`acc-${n}`, [deposit(round)]);
        appendedDuring += 16;
      }
    })();
    try {
      await w1.rebuild();
      // The counts started again from 0 and move on while appends go on.
      await until("the rebuild applied events", async () => (await applied(w2)) > 0);
    } finally {
      appending = false;
    }
    await writer;
    const total = 32 + appendedDuring;
    await until("every event is applied after the rebuild", async () => (await applied(w2)) === total);
    expect(await balances()).toEqual(await foldBalances(store));
    // The ledger's primary key is the event id: each event once, and each stream in version order.
    const { rows } = await pool.query<{ stream_id: string; version: number }>(`SELECT stream_id, version FROM "${readModel}".ledger ORDER BY seq`);
    expect(rows).toHaveLength(total);
    const last = new Map<string, number>();
    for (const row of rows) {
      expect(row.version, row.stream_id).toBe((last.get(row.stream_id) ?? 0) + 1);
      last.set(row.stream_id, row.version);
    }
  }, 120_000);
});
