/**
 * Reads from a real PostgreSQL streaming replica (a hot standby made with pg_basebackup, see
 * test/fixtures/replica.ts): read-your-writes by WAL position, a lagging replica (WAL replay
 * paused) and a replica that is down or fails mid-read, and the global order on a standby with a
 * writer held open on the primary. Server only: PGlite has no replication.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { ensureReplica, replicaUrl, waitForReplica } from "../../test/fixtures/replica.js";
import { startTcpProxy } from "../../test/fixtures/tcp-proxy.js";
import { createStorage } from "../storage/create-storage.js";
import { appendBatch } from "../store/append.js";
import { prepareBatch } from "../store/prepare-events.js";
import { buildStatements } from "../store/statements.js";
import type { EventStore, ReadAllPage } from "../store/event-store.js";
import { balancesProjection, readBalances } from "../projections/balances.fixture.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { createReplicatedEventStore } from "./replicated-event-store.js";
import type { ReplicatedEventStore, ReplicatedEventStoreOptions } from "./replicated-event-store.js";

const primaryUrl = process.env["DATABASE_URL"];
const standbyUrl = replicaUrl();
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };

async function versions(store: EventStore, streamId: string, pageSize?: number): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of store.readStream(streamId, pageSize === undefined ? {} : { pageSize })) seen.push(event.version);
  return seen;
}

describe.skipIf(primaryUrl === undefined || primaryUrl === "" || standbyUrl === undefined)("read replicas [postgres + streaming replica]", () => {
  let primary: pg.Pool;
  let replica: pg.Pool;
  const schemas: string[] = [];
  const stores: ReplicatedEventStore[] = [];

  beforeAll(async () => {
    ensureReplica();
    primary = new pg.Pool({ connectionString: primaryUrl, max: 4 });
    replica = new pg.Pool({ connectionString: standbyUrl, max: 2 });
    replica.on("error", () => undefined);
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await replica.query("SELECT pg_wal_replay_resume()").catch(() => undefined);
    for (const schema of schemas) await primary.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await primary.end();
    await replica.end();
  });

  const open = async (options: Partial<ReplicatedEventStoreOptions<typeof testRegistry>> & { readonly schema?: string } = {}): Promise<ReplicatedEventStore> => {
    const schema = options.schema ?? `strata_test_${randomBytes(6).toString("hex")}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = await createReplicatedEventStore({
      registry: testRegistry,
      schema,
      primary: { connectionString: primaryUrl ?? "" },
      replicas: [{ connectionString: standbyUrl ?? "" }],
      replayTimeoutMs: 10_000,
      ...options,
    });
    stores.push(store as unknown as ReplicatedEventStore);
    return store as unknown as ReplicatedEventStore;
  };

  it("serves stream reads, readAll, versions and listings from the replica, and each read sees the store's own appends", async () => {
    const store = await open();
    for (let i = 1; i <= 5; i += 1) {
      await store.append("acc-1", i === 1 ? [opened] : [deposit(i)]);
      // Read-your-writes: each read waits for the replica to replay the append just made.
      expect(await versions(store, "acc-1")).toEqual(Array.from({ length: i }, (_, k) => k + 1));
      expect(await store.streamVersion("acc-1")).toBe(i);
    }
    await store.appendMany([{ streamId: "acc-2", events: [opened] }, { streamId: "acc-3", events: [opened] }]);
    expect((await store.listStreams()).streams.map((stream) => stream.streamId)).toEqual(["acc-1", "acc-2", "acc-3"]);
    const events: string[] = [];
    let page: ReadAllPage | undefined;
    // On a standby any transaction in flight on the (shared) primary holds readAll back: poll.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && events.length < 7; ) {
      page = await store.readAll(page === undefined ? { limit: 3 } : { after: page.checkpoint, limit: 3 });
      events.push(...page.events.map((event) => `${event.streamId}:${event.version}`));
      if (page.caughtUp && events.length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(events).toEqual(["acc-1:1", "acc-1:2", "acc-1:3", "acc-1:4", "acc-1:5", "acc-2:1", "acc-3:1"]);
    await store.deleteStream("acc-3");
    expect((await store.listStreams()).streams.map((stream) => stream.streamId)).toEqual(["acc-1", "acc-2"]);
    const routing = store.routing();
    expect(routing.replicaReads).toBeGreaterThan(10);
    expect(routing.failureFallbacks).toBe(0);
  });

  it("with the replica lagging, read-your-writes reads come from the primary and eventual reads show the replica's older state", async () => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    const writer = await open({ schema, replayTimeoutMs: 200 });
    const eventual = await open({ schema, consistency: "eventual", migrate: false, replayTimeoutMs: 200 });
    await writer.append("lag", [opened]);
    await waitForReplica(primary, replica);
    await replica.query("SELECT pg_wal_replay_pause()");
    try {
      await writer.append("lag", [deposit(1), deposit(2)]);
      const before = writer.routing();
      // The replica cannot replay the append: after 200 ms the read goes to the primary, and sees it.
      expect(await versions(writer, "lag")).toEqual([1, 2, 3]);
      expect(writer.routing().lagFallbacks).toBe(before.lagFallbacks + 1);
      // A reader that accepts staleness reads the replica, which still holds the stream at version 1.
      expect(await versions(eventual, "lag")).toEqual([1]);
      expect(await eventual.streamVersion("lag")).toBe(1);
      // A position handed over by another process (here the writer) holds this reader to it: the
      // replica cannot reach it, so the read goes to the primary.
      eventual.observe(await writer.writePosition());
      expect(await eventual.streamVersion("lag")).toBe(3);
      expect(eventual.routing().lagFallbacks).toBe(1);
    } finally {
      await replica.query("SELECT pg_wal_replay_resume()");
    }
    // Replayed again: the replica serves the read.
    const before = writer.routing();
    expect(await versions(writer, "lag")).toEqual([1, 2, 3]);
    expect(writer.routing().replicaReads).toBe(before.replicaReads + 1);
  });

  it("with the replica down, every read goes to the primary and nothing is lost", async () => {
    // Port 1 refuses connections on loopback: a replica that is down.
    const down = new URL(standbyUrl ?? "");
    down.port = "1";
    const store = await open({ replicas: [{ connectionString: down.toString(), connectTimeoutMs: 500 }], downRetryMs: 60_000 });
    await store.append("down", [opened, deposit(1)]);
    expect(await versions(store, "down")).toEqual([1, 2]);
    expect((await store.readAll()).events.map((event) => event.version)).toEqual([1, 2]);
    expect(await store.streamVersion("down")).toBe(2);
    const routing = store.routing();
    expect(routing.replicaReads).toBe(0);
    expect(routing.failureFallbacks).toBe(3);
  });

  it("with one of two replicas down, reads go to the other one, not the primary", async () => {
    const down = new URL(standbyUrl ?? "");
    down.port = "1";
    const store = await open({ replicas: [{ connectionString: down.toString(), connectTimeoutMs: 500 }, { connectionString: standbyUrl ?? "" }], downRetryMs: 60_000 });
    await store.append("two", [opened, deposit(1)]);
    for (let i = 0; i < 4; i += 1) expect(await versions(store, "two")).toEqual([1, 2]);
    // The first read met the dead replica and went on to the live one; the others skipped it.
    expect(store.routing()).toEqual({ replicaReads: 4, lagFallbacks: 0, failureFallbacks: 0 });
  });

  it("a stream read cut off by the replica going away continues on the primary without a gap or a repeat", async () => {
    // The replica is reached through a proxy that the test takes down, as a crashing server would go.
    const proxy = await startTcpProxy(Number(new URL(standbyUrl ?? "").port));
    const url = new URL(standbyUrl ?? "");
    url.port = String(proxy.port);
    const store = await open({ replicas: [{ connectionString: url.toString(), poolSize: 1 }] });
    await store.append("cut", [opened, ...Array.from({ length: 9 }, (_, i) => deposit(i + 1))]);
    const seen: number[] = [];
    for await (const event of store.readStream("cut", { pageSize: 2 })) {
      seen.push(event.version);
      // After the first page (the second is already on its way), the replica goes away.
      if (event.version === 1) await proxy.down();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.routing().failureFallbacks).toBe(1);
    // Left out afterwards: reads go to the primary without trying it again.
    expect(await store.streamVersion("cut")).toBe(10);
    expect(store.routing().failureFallbacks).toBe(2);
  });

  it("keeps the global order on the standby: a writer held open on the primary holds readers back there, and nothing is skipped", async () => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    const store = await open({ schema, consistency: "eventual" });
    await store.append("before", [opened]);
    const storage = createStorage({ kind: "postgres", pool: primary });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (appended = resolve));
    const heldAppend = storage.transaction(async (tx) => {
      await appendBatch(tx, buildStatements(schema), prepareBatch(testRegistry, "held", [opened, deposit(1)], "any", undefined), true);
      appended();
      await held;
    });
    try {
      await inside;
      await store.append("after", [opened, deposit(2)]);
      await waitForReplica(primary, replica);
      // The primary's horizon relies on advisory locks, which a standby never sees: on the replica
      // it would let a reader past the held writer, whose events would then be skipped forever.
      const naive = await replica.query<{ stream_id: string | null }>(buildStatements(schema).readAll, ["0", "0", 100, null, null, null]);
      expect(naive.rows.map((row) => row.stream_id)).toContain("after");
      // The replicated store's standby horizon stops before the held writer.
      const seen: string[] = [];
      let checkpoint: string | undefined;
      const readMore = async (): Promise<void> => {
        const page = await store.readAll(checkpoint === undefined ? {} : { after: checkpoint });
        seen.push(...page.events.map((event) => `${event.streamId}:${event.version}`));
        checkpoint = page.checkpoint;
        await new Promise((resolve) => setTimeout(resolve, 10));
      };
      // Other transactions on the shared primary may hold the standby's horizon for a while: wait for "before".
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && seen.length === 0; ) await readMore();
      for (let round = 0; round < 40; round += 1) await readMore();
      expect(seen).toEqual(["before:1"]);
      release();
      await heldAppend;
      await waitForReplica(primary, replica);
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && seen.length < 5; ) await readMore();
      expect(seen).toEqual(["before:1", "held:1", "held:2", "after:1", "after:2"]);
      expect(store.routing().failureFallbacks + store.routing().lagFallbacks).toBe(0);
    } finally {
      release();
      await heldAppend.catch(() => undefined);
      await storage.close();
    }
  });

  it("runs a projection engine on pages read from the replica, the tail from the primary while the replica lags", async () => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    const readModel = `rm_${randomBytes(5).toString("hex")}`;
    schemas.push(readModel);
    const store = await open({ schema });
    const application = `strata_engine_${randomBytes(4).toString("hex")}`;
    const address = new URL(standbyUrl ?? "");
    address.searchParams.set("application_name", application);
    const engine = await createProjectionEngine({
      database: { kind: "postgres", pool: primary },
      schema,
      registry: testRegistry,
      projections: [balancesProjection({ name: "balances", schema: readModel, batchSize: 10 })],
      readReplica: { connectionString: address.toString() },
      pollMs: 20,
    });
    const query = async (text: string) => (await primary.query(text)).rows as Record<string, unknown>[];
    try {
      for (let i = 0; i < 5; i += 1) await store.append(`acc-${i}`, [opened, deposit(i + 1), deposit(10)]);
      await waitForReplica(primary, replica);
      await engine.catchUp();
      expect(await readBalances(query, readModel)).toEqual(Array.from({ length: 5 }, (_, i) => ({ account: `acc-${i}`, amount: i + 11, deposits: 2, closed: false })));
      const { rows } = await replica.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [application]);
      expect(rows[0]?.n).toBeGreaterThan(0);
      await replica.query("SELECT pg_wal_replay_pause()");
      try {
        await store.append("acc-0", [deposit(100)]);
        // The replica cannot have it: the engine reads the tail on the primary, catchUp does not wait for replay.
        await engine.catchUp();
        expect((await readBalances(query, readModel))[0]).toEqual({ account: "acc-0", amount: 111, deposits: 3, closed: false });
      } finally {
        await replica.query("SELECT pg_wal_replay_resume()");
      }
      // Once the replica replays past the checkpoint, nothing is applied twice.
      await waitForReplica(primary, replica);
      await store.append("acc-1", [deposit(5)]);
      await engine.catchUp();
      const ledger = await primary.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM "${readModel}".ledger`);
      expect(ledger.rows[0]).toEqual({ n: 17, distinct: 17 });
    } finally {
      await engine.close();
    }
  });
});
