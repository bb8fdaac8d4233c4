/**
 * Scaled-out projections on a real PostgreSQL server: partitions spread over workers, move when
 * workers join and leave or a lease lapses, and every event is applied once, in its stream's
 * order, while appends go on. The `ledger` table of the balances fixture has the event id as
 * primary key (a second application fails) and a sequence column giving the order of
 * application. Server only: several workers need concurrent connections.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../../test/fixtures/test-registry.js";
import { ensureReplica, replicaUrl } from "../../../test/fixtures/replica.js";
import { createEventStore } from "../../store/create-event-store.js";
import type { EventStore } from "../../store/event-store.js";
import { balancesProjection } from "../balances.fixture.js";
import { partitionEventsTable } from "../../partitioning/partition-events-table.js";
import { createProjectionWorker } from "./projection-worker.js";
import type { ProjectionWorker, ProjectionWorkerOptions } from "./projection-worker.js";

const url = process.env["DATABASE_URL"];
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe.skipIf(url === undefined || url === "")("scaled-out projection workers [postgres]", () => {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const workers: ProjectionWorker[] = [];
  const stores: EventStore[] = [];
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 30 });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    for (const store of stores) await store.close();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const setup = async () => {
    const tag = randomBytes(5).toString("hex");
    const schema = `strata_test_${tag}`;
    const readModel = `rm_${tag}`;
    schemas.push(schema, readModel);
    const store = await createEventStore({ registry: testRegistry, database: { kind: "postgres", pool }, schema });
    stores.push(store as unknown as EventStore);
    const projection = balancesProjection({ name: "balances", schema: readModel, batchSize: 25 });
    const applied = new Map<string, number>();
    const worker = (id: string, extra: Partial<ProjectionWorkerOptions<typeof testRegistry>> = {}): ProjectionWorker => {
      const created = createProjectionWorker({
        database: { kind: "postgres", connectionString: url ?? "", poolSize: 3 },
        schema,
        registry: testRegistry,
        projection,
        partitions: 4,
        workerId: id,
        leaseMs: 3_000,
        pollMs: 10,
        onProgress: (progress) => applied.set(id, (applied.get(id) ?? 0) + progress.applied),
        ...extra,
      });
      workers.push(created);
      return created;
    };
    /** Every stream's versions in the order the projection applied them, and the total. */
    const ledger = async (): Promise<{ readonly perStream: Map<string, number[]>; readonly total: number }> => {
      const { rows } = await pool.query<{ stream_id: string; version: number }>(`SELECT stream_id, version FROM "${readModel}".ledger ORDER BY seq`);
      const perStream = new Map<string, number[]>();
      for (const row of rows) perStream.set(row.stream_id, [...(perStream.get(row.stream_id) ?? []), row.version]);
      return { perStream, total: rows.length };
    };
    const applyAll = async (of: ProjectionWorker, total: number): Promise<void> =>
      until(`${total} events are applied`, async () => (await of.status()).reduce((sum, partition) => sum + partition.eventsApplied, 0) >= total);
    return { schema, store, worker, applied, ledger, applyAll };
  };

  /**
   * Appends from 4 writers to 24 streams, `rounds` rounds each, and then on until `keepGoing`
   * says no more (checked between rounds); resolves to each stream's version count.
   */
  const appendLoad = async (store: EventStore, rounds: number, pauseMs: number, keepGoing: () => boolean = () => false): Promise<Map<string, number>> => {
    const versions = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let round = 0; round < rounds || keepGoing(); round += 1) {
          for (let s = writer; s < 24; s += 4) {
            const streamId = `acc-${s}`;
            const version = versions.get(streamId) ?? 0;
            await store.append(streamId, version === 0 ? [opened, deposit(round + 1)] : [deposit(round + 1)], { expectedVersion: version });
            versions.set(streamId, version + (version === 0 ? 2 : 1));
          }
          if (pauseMs > 0) await sleep(pauseMs);
        }
      }),
    );
    return versions;
  };

  const expectEveryStreamInOrder = (perStream: Map<string, number[]>, versions: Map<string, number>): void => {
    expect([...perStream.keys()].sort()).toEqual([...versions.keys()].sort());
    for (const [streamId, count] of versions) expect(perStream.get(streamId), streamId).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  };

  it("shares the partitions among the workers, moves them when workers join and leave, and applies every event once, in stream order, while appends go on", async () => {
    const { store, worker, applied, ledger, applyAll } = await setup();
    const w1 = worker("w1");
    await w1.start();
    await until("w1 holds all 4 partitions", () => w1.held().length === 4);
    // The writers go on until every step below was observed (each waited for with a deadline,
    // never a fixed sleep): on a loaded machine a fixed burst may end before w3 gets partitions.
    let appending = true;
    const load = appendLoad(store, 1, 5, () => appending);
    const hasApplied = (id: string, more = 0) => () => (applied.get(id) ?? 0) > more;
    const w2 = worker("w2");
    const w3 = worker("w3");
    try {
      await until("w1 applied events", hasApplied("w1"));
      await w2.start();
      await until("w1 and w2 hold 2 partitions each", () => w1.held().length === 2 && w2.held().length === 2);
      await until("w2 applied events", hasApplied("w2"));
      await w3.start();
      await until("three workers share the 4 partitions", () => [w1, w2, w3].every((w) => w.held().length >= 1) && w1.held().length + w2.held().length + w3.held().length === 4);
      await until("w3 applied events", hasApplied("w3"));
      await w1.stop();
      await until("w2 and w3 hold 2 partitions each after w1 left", () => w2.held().length === 2 && w3.held().length === 2);
      const [before2, before3] = [applied.get("w2") ?? 0, applied.get("w3") ?? 0];
      await until("w2 and w3 applied events after w1 left", () => hasApplied("w2", before2)() && hasApplied("w3", before3)());
    } finally {
      appending = false;
    }
    const versions = await load;
    const total = [...versions.values()].reduce((sum, n) => sum + n, 0);
    await applyAll(w2, total);
    const { perStream, total: appliedTotal } = await ledger();
    expect(appliedTotal).toBe(total);
    expectEveryStreamInOrder(perStream, versions);
    expect([...applied.keys()].sort()).toEqual(["w1", "w2", "w3"]);
    const status = await w2.status();
    expect(status.map((partition) => partition.owner).sort()).toEqual(["w2", "w2", "w3", "w3"]);
  });

  it("takes over the partitions of a worker that vanished once its leases lapse", async () => {
    const { schema, store, worker, ledger, applyAll } = await setup();
    const versions = await appendLoad(store, 5, 0);
    const w1 = worker("w1");
    await w1.start();
    await w1.stop();
    // A worker "ghost" took every partition and then died without giving them back.
    await pool.query(`INSERT INTO "${schema}".projection_workers (name, worker, expires_at) VALUES ('balances', 'ghost', now() + interval '1 second')`);
    await pool.query(`UPDATE "${schema}".projection_partitions SET lease_owner = 'ghost', lease_expires_at = now() + interval '1 second'`);
    await w1.start();
    await until("w1 holds all 4 partitions after the ghost's leases lapsed", () => w1.held().length === 4, 15_000);
    await applyAll(w1, [...versions.values()].reduce((sum, n) => sum + n, 0));
    expectEveryStreamInOrder((await ledger()).perStream, versions);
  });

  it("refuses a worker started with another partition count", async () => {
    const { worker } = await setup();
    const w1 = worker("w1");
    await w1.start();
    await w1.stop();
    await expect(worker("w2", { partitions: 8 }).start()).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("runs on an events table partitioned by global position", async () => {
    const { schema, store, worker, ledger, applyAll } = await setup();
    await partitionEventsTable({ database: { kind: "postgres", pool }, schema, partitionSize: 50, partitionsAhead: 20 });
    const w1 = worker("w1");
    const w2 = worker("w2");
    await w1.start();
    await w2.start();
    const versions = await appendLoad(store, 10, 0);
    await applyAll(w1, [...versions.values()].reduce((sum, n) => sum + n, 0));
    expectEveryStreamInOrder((await ledger()).perStream, versions);
  });

  it.skipIf(replicaUrl() === undefined)("reads the events from a streaming replica, with checkpoints and read model on the primary", async () => {
    ensureReplica();
    const { store, worker, ledger, applyAll } = await setup();
    const application = `strata_workers_${randomBytes(4).toString("hex")}`;
    const replicaAddress = new URL(replicaUrl() ?? "");
    replicaAddress.searchParams.set("application_name", application);
    const replica = { connectionString: replicaAddress.toString() };
    const w1 = worker("w1", { readReplica: replica });
    const w2 = worker("w2", { readReplica: replica });
    await w1.start();
    await w2.start();
    const versions = await appendLoad(store, 10, 2);
    await applyAll(w1, [...versions.values()].reduce((sum, n) => sum + n, 0));
    expectEveryStreamInOrder((await ledger()).perStream, versions);
    // The workers' reads went to the replica: their connections are there.
    const standby = new pg.Client({ connectionString: replicaUrl() });
    await standby.connect();
    try {
      const { rows } = await standby.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [application]);
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await standby.end();
    }
  }, 120_000);
});
