import { createProjectionEngine, defineProjection } from "@strata/runtime";
import type { EventRegistry, EventShape, ProjectionEngine } from "@strata/runtime";
import { sql } from "kysely";
import pg from "pg";
import { depositEvent } from "../fixtures/bench-events.js";
import { benchRegistry } from "../fixtures/bench-registry.js";
import { Check } from "../harness/checks.js";
import { median } from "../harness/report.js";
import { roundRobin, scaled, timed } from "../harness/workload.js";
import type { Measurement, Workload, WorkloadRun } from "../harness/workload.js";
import type { BenchEvent } from "../targets/bench-target.js";
import { planAppends } from "./w1-sequential-appends.js";

const STREAMS = 100;
const SEED_BATCH = 1_000;
const BATCH_SIZE = 500; // the engine's default, stated so the JSON says what was measured
const CATCH_UP_BATCH_SIZE = 5_000; // the engine's default largest catch-up batch (P1 uses the defaults)
/** P3: writers appending one event at a time on their own streams, as in W2. */
const P3_WRITERS = 8;
/** How long a live sample may take before the workload gives up on it (fails the check). */
const SAMPLE_PATIENCE_MS = 10_000;

/** The deposit as the bench registry reads it (v2); the fixtures' registry is declared untyped. */
type Deposit = EventShape<"FundsDeposited", { readonly ref: string; readonly amount: number; readonly currency: string }>;
// Only the type is narrowed: the run-time registry is the one the Strata target's store uses.
export const depositRegistry = benchRegistry as EventRegistry<Deposit>;

interface BalancesDb {
  balances: { account: string; amount: string; events: number };
}

/** Options of {@link balancesProjection}. */
export interface BalancesOptions {
  /** Leave the batch sizes to the engine's defaults (500, growing to 5,000 while catching up) instead of fixed batches of 500. */
  readonly engineBatches?: boolean;
  /** Called with the refs of every batch the handler is given (before its transaction commits). */
  readonly observe?: (refs: readonly string[]) => void;
}

/**
 * The balance read model: one row per account stream. The handler folds each batch in memory
 * and writes it with one multi-row upsert, the way a projection meant to catch up fast is written
 * (one statement per event would measure round trips, not the engine).
 */
export function balancesProjection(schema: string, name = "bench-balances", options: BalancesOptions = {}) {
  return defineProjection<typeof depositRegistry, "FundsDeposited", BalancesDb>(depositRegistry, {
    name,
    version: 1,
    schema,
    handles: ["FundsDeposited"],
    ...(options.engineBatches === true ? {} : { batchSize: BATCH_SIZE }),
    migrations: {
      "001-balances": {
        up: (db) =>
          db.schema
            .createTable("balances")
            .addColumn("account", "text", (c) => c.primaryKey())
            .addColumn("amount", "bigint", (c) => c.notNull())
            .addColumn("events", "integer", (c) => c.notNull())
            .execute(),
      },
    },
    handle: async (events, { db }) => {
      options.observe?.(events.map((event) => event.data.ref));
      const deltas = new Map<string, { amount: number; events: number }>();
      for (const event of events) {
        const amount = event.data.amount;
        const row = deltas.get(event.streamId) ?? { amount: 0, events: 0 };
        deltas.set(event.streamId, { amount: row.amount + amount, events: row.events + 1 });
      }
      if (deltas.size === 0) return;
      await db
        .insertInto("balances")
        .values([...deltas].map(([account, d]) => ({ account, amount: String(d.amount), events: d.events })))
        .onConflict((c) =>
          c.column("account").doUpdateSet({ amount: sql`balances.amount + excluded.amount`, events: sql`balances.events + excluded.events` }),
        )
        .execute();
    },
  });
}

/** What the read model must hold: per account, the sum of amounts and the number of events. */
function fold(appended: ReadonlyMap<string, readonly BenchEvent[]>): Map<string, { amount: number; events: number }> {
  const expected = new Map<string, { amount: number; events: number }>();
  for (const [account, events] of appended) {
    expected.set(account, { amount: events.reduce((sum, e) => sum + Number(e.data["amount"]), 0), events: events.length });
  }
  return expected;
}

export async function checkBalances(client: pg.Client, readModel: string, appended: ReadonlyMap<string, readonly BenchEvent[]>): Promise<Check> {
  const { rows } = await client.query<{ account: string; amount: string; events: number }>(`SELECT account, amount, events FROM "${readModel}".balances`);
  const check = new Check();
  const expected = fold(appended);
  for (const row of rows) {
    const want = expected.get(row.account);
    if (want === undefined) check.fail(`unexpected balance row ${row.account}`);
    else if (Number(row.amount) !== want.amount || row.events !== want.events) {
      check.fail(`account ${row.account}: ${row.events} events, amount ${row.amount}; the fold gives ${want.events}, ${want.amount}`);
    }
    expected.delete(row.account);
  }
  for (const account of expected.keys()) check.fail(`account ${account} missing from the read model`);
  return check;
}

/**
 * P: projections on Strata alone. P1 seeds 100,000 deposits into 100 streams (untimed, appends of
 * 1,000, then ANALYZE), then times `engine.catchUp()` folding them into a balance table with the
 * engine's default batches (500, doubling up to 5,000 while catching up) and a checkpoint
 * committed per batch; the table must equal a fold of what was appended.
 * P2 starts the engine (LISTEN/NOTIFY, default 1 s poll) and measures 200 times, one at a time,
 * the delay from the start of an append to the moment the appended event is visible in the read
 * model (the engine's progress callback, then a query that must see it).
 * P3 keeps the engine running under W2's load: 8 writers append 4,000 single-event appends on
 * their own streams as fast as they can, and each event's lag is the time from the start of its
 * append to the commit of the batch that applied it (the progress callback after that commit).
 */
export const pProjections: Workload = {
  id: "P",
  title: "Projections: catch-up into a balance table, live latency",
  figures: [
    { id: "P1", label: "P1 projection catch-up, 100k events, checkpoint per batch", unit: "events/s", goal: 100_000, goalOn: "at-least" },
    { id: "P2/p50", label: "P2 live latency append → read model, p50", unit: "ms", goal: 0, goalOn: "none" },
    { id: "P2/p99", label: "P2 live latency append → read model, p99", unit: "ms", goal: 0, goalOn: "none" },
    { id: "P3/p50", label: "P3 projection lag under W2 load (8 writers), p50", unit: "ms", goal: 0, goalOn: "none" },
    { id: "P3/p99", label: "P3 projection lag under W2 load (8 writers), p99", unit: "ms", goal: 1_000, goalOn: "at-most" },
  ],
  poolSize: P3_WRITERS,
  targets: ["strata"],
  async run(run) {
    const readModel = `${run.schema}_rm`;
    const client = new pg.Client({ connectionString: run.databaseUrl });
    await client.connect();
    let progressed = (): void => undefined;
    // P3: refs of the batch being applied, and the start of each one's append.
    let batch: readonly string[] = [];
    const started = new Map<string, number>();
    const lags: number[] = [];
    let engine: ProjectionEngine | undefined;
    try {
      engine = await createProjectionEngine({
        database: { kind: "postgres", connectionString: run.databaseUrl, poolSize: 4 },
        schema: run.schema,
        migrate: false,
        registry: depositRegistry,
        projections: [balancesProjection(readModel, "bench-balances", { engineBatches: true, observe: (refs) => (batch = refs) })],
        onProgress: () => {
          // Called after the batch's transaction committed: its events are visible now.
          const now = performance.now();
          for (const ref of batch) {
            const start = started.get(ref);
            if (start !== undefined) lags.push(now - start);
            started.delete(ref);
          }
          progressed();
        },
      });
      const appended = await seed(run);
      await run.analyze();
      const total = [...appended.values()].reduce((n, events) => n + events.length, 0);
      const ms = await timed(() => engine?.catchUp() ?? Promise.resolve());
      const catchUp: Measurement = { figure: "P1", operations: total, ms, check: (await checkBalances(client, readModel, appended)).result(), details: { batchSize: BATCH_SIZE, catchUpBatchSize: CATCH_UP_BATCH_SIZE } };

      await engine.start();
      const samples = scaled(200, run.scale, 20);
      const latencies: number[] = [];
      const live: BenchEvent[] = [];
      appended.set(`${run.tag}-live`, live);
      const check = new Check();
      for (let i = 0; i < samples; i++) {
        const event = depositEvent(`${run.tag}-live-${i}`, i);
        const start = performance.now();
        const signalled = new Promise<void>((resolve) => (progressed = resolve));
        await run.session.append(`${run.tag}-live`, [event], i === 0 ? "no_stream" : i);
        live.push(event);
        latencies.push(await visible(client, readModel, `${run.tag}-live`, i + 1, signalled, start));
        if (!Number.isFinite(latencies.at(-1))) check.fail(`live event ${i + 1} not in the read model after ${SAMPLE_PATIENCE_MS} ms`);
      }
      for (const problem of (await checkBalances(client, readModel, appended)).result().problems) check.fail(problem);
      const sorted = [...latencies].sort((a, b) => a - b);
      const p99 = percentile(sorted, 0.99);
      const liveMs = latencies.reduce((a, b) => a + b, 0);
      const result = check.result();
      const underLoad = await lagUnderLoad(run, client, readModel, appended, started, lags);
      return [
        catchUp,
        { figure: "P2/p50", operations: samples, ms: liveMs, value: median(latencies), check: result, details: { samples } },
        { figure: "P2/p99", operations: samples, ms: liveMs, value: p99, check: result, details: { samples, maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10 } },
        ...underLoad,
      ];
    } finally {
      await engine?.close().catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS "${readModel}" CASCADE`).catch(() => undefined);
      await client.end();
    }
  },
};

/** The `q` quantile of ascending `sorted` (nearest rank). */
function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] ?? Number.NaN;
}

/**
 * P3: W2's load (8 writers, one event per append, distinct streams) against the running engine.
 * `started` and `lags` are filled here and by the engine's progress callback; every appended event
 * must get a lag (it was applied), and the read model must equal the fold afterwards.
 */
async function lagUnderLoad(
  run: WorkloadRun,
  client: pg.Client,
  readModel: string,
  appended: Map<string, BenchEvent[]>,
  started: Map<string, number>,
  lags: number[],
): Promise<Measurement[]> {
  const plan = planAppends(`${run.tag}-p3`, scaled(400, run.scale, P3_WRITERS * 2), scaled(4_000, run.scale, 40));
  const perWriter = roundRobin(plan, P3_WRITERS);
  lags.length = 0;
  // Not `timed`: the runner bills the n-th timed section to the n-th measurement (P2/p50 here).
  const begin = performance.now();
  await Promise.all(
    perWriter.map(async (appends) => {
      for (const { streamId, event, expected } of appends) {
        started.set(event.data.ref, performance.now());
        await run.session.append(streamId, [event], expected);
      }
    }),
  );
  const ms = performance.now() - begin;
  for (const { streamId, event } of plan) appended.set(streamId, [...(appended.get(streamId) ?? []), event]);
  // Outside the clock: the engine drains what the writers left (the last lags are recorded then).
  const deadline = performance.now() + SAMPLE_PATIENCE_MS;
  while (started.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const check = new Check();
  if (started.size > 0) check.fail(`${started.size} of ${plan.length} appended events not applied ${SAMPLE_PATIENCE_MS} ms after the writers stopped`);
  for (const problem of (await checkBalances(client, readModel, appended)).result().problems) check.fail(problem);
  const sorted = [...lags].sort((a, b) => a - b);
  const result = check.result();
  const details = { writers: P3_WRITERS, appends: plan.length, appendsPerSecond: Math.round((plan.length / ms) * 1000), maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10 };
  return [
    { figure: "P3/p50", operations: plan.length, ms, value: median(sorted), check: result, details },
    { figure: "P3/p99", operations: plan.length, ms, value: percentile(sorted, 0.99), check: result, details },
  ];
}

/** Seeds the deposits: each stream gets its events in appends of up to 1,000. */
export async function seed(run: WorkloadRun): Promise<Map<string, BenchEvent[]>> {
  const total = scaled(100_000, run.scale, STREAMS);
  const appended = new Map<string, BenchEvent[]>();
  const perStream = Math.ceil(total / STREAMS);
  for (let s = 0, n = 0; s < STREAMS && n < total; s++) {
    const streamId = `${run.tag}-acct-${s}`;
    const events = Array.from({ length: Math.min(perStream, total - n) }, (_, i) => depositEvent(`${run.tag}-${n + i}`, n + i));
    n += events.length;
    for (let v = 0; v < events.length; v += SEED_BATCH) await run.session.append(streamId, events.slice(v, v + SEED_BATCH), v === 0 ? "no_stream" : v);
    appended.set(streamId, events);
  }
  return appended;
}

/**
 * Waits until the read model shows `events` events for `account` and returns the ms since
 * `start`. Waits for the engine's progress signal first (no busy polling that would compete for
 * the 2 cores), then confirms with a query; polls every 2 ms if the signal never comes.
 */
async function visible(client: pg.Client, readModel: string, account: string, events: number, signalled: Promise<void>, start: number): Promise<number> {
  let waited = false;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed > SAMPLE_PATIENCE_MS) return Number.POSITIVE_INFINITY;
    if (!waited) {
      waited = true;
      await Promise.race([signalled, new Promise((resolve) => setTimeout(resolve, SAMPLE_PATIENCE_MS).unref())]);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const { rows } = await client.query<{ events: number }>(`SELECT events FROM "${readModel}".balances WHERE account = $1`, [account]);
    if ((rows[0]?.events ?? 0) >= events) return performance.now() - start;
  }
}
