import { createProjectionEngine, defineProjection } from "@strata/runtime";
import type { EventRegistry, EventShape, ProjectionEngine } from "@strata/runtime";
import { sql } from "kysely";
import pg from "pg";
import { depositEvent } from "../fixtures/bench-events.js";
import { benchRegistry } from "../fixtures/bench-registry.js";
import { Check } from "../harness/checks.js";
import { median } from "../harness/report.js";
import { scaled, timed } from "../harness/workload.js";
import type { Measurement, Workload, WorkloadRun } from "../harness/workload.js";
import type { BenchEvent } from "../targets/bench-target.js";

const STREAMS = 100;
const SEED_BATCH = 1_000;
const BATCH_SIZE = 500; // the engine's default, stated so the JSON says what was measured
/** How long a live sample may take before the workload gives up on it (fails the check). */
const SAMPLE_PATIENCE_MS = 10_000;

/** The deposit as the bench registry reads it (v2); the fixtures' registry is declared untyped. */
type Deposit = EventShape<"FundsDeposited", { readonly ref: string; readonly amount: number; readonly currency: string }>;
// Only the type is narrowed: the run-time registry is the one the Strata target's store uses.
export const depositRegistry = benchRegistry as EventRegistry<Deposit>;

interface BalancesDb {
  balances: { account: string; amount: string; events: number };
}

/**
 * The balance read model: one row per account stream. The handler folds each batch in memory
 * and writes it with one multi-row upsert, the way a projection meant to catch up fast is written
 * (one statement per event would measure round trips, not the engine).
 */
export function balancesProjection(schema: string, name = "bench-balances") {
  return defineProjection<typeof depositRegistry, "FundsDeposited", BalancesDb>(depositRegistry, {
    name,
    version: 1,
    schema,
    handles: ["FundsDeposited"],
    batchSize: BATCH_SIZE,
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
 * 1,000, then ANALYZE), then times `engine.catchUp()` folding them into a balance table with a
 * checkpoint committed per batch of 500; the table must equal a fold of what was appended.
 * P2 starts the engine (LISTEN/NOTIFY, default 1 s poll) and measures 200 times, one at a time,
 * the delay from the start of an append to the moment the appended event is visible in the read
 * model (the engine's progress callback, then a query that must see it).
 */
export const pProjections: Workload = {
  id: "P",
  title: "Projections: catch-up into a balance table, live latency",
  figures: [
    { id: "P1", label: "P1 projection catch-up, 100k events, checkpoint per batch", unit: "events/s", goal: 100_000, goalOn: "at-least" },
    { id: "P2/p50", label: "P2 live latency append → read model, p50", unit: "ms", goal: 0, goalOn: "none" },
    { id: "P2/p99", label: "P2 live latency append → read model, p99", unit: "ms", goal: 0, goalOn: "none" },
  ],
  poolSize: 4,
  targets: ["strata"],
  async run(run) {
    const readModel = `${run.schema}_rm`;
    const client = new pg.Client({ connectionString: run.databaseUrl });
    await client.connect();
    let progressed = (): void => undefined;
    let engine: ProjectionEngine | undefined;
    try {
      engine = await createProjectionEngine({
        database: { kind: "postgres", connectionString: run.databaseUrl, poolSize: 4 },
        schema: run.schema,
        migrate: false,
        registry: depositRegistry,
        projections: [balancesProjection(readModel)],
        onProgress: () => progressed(),
      });
      const appended = await seed(run);
      await run.analyze();
      const total = [...appended.values()].reduce((n, events) => n + events.length, 0);
      const ms = await timed(() => engine?.catchUp() ?? Promise.resolve());
      const catchUp: Measurement = { figure: "P1", operations: total, ms, check: (await checkBalances(client, readModel, appended)).result(), details: { batchSize: BATCH_SIZE } };

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
      const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
      const liveMs = latencies.reduce((a, b) => a + b, 0);
      const result = check.result();
      return [
        catchUp,
        { figure: "P2/p50", operations: samples, ms: liveMs, value: median(latencies), check: result, details: { samples } },
        { figure: "P2/p99", operations: samples, ms: liveMs, value: p99, check: result, details: { samples, maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10 } },
      ];
    } finally {
      await engine?.close().catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS "${readModel}" CASCADE`).catch(() => undefined);
      await client.end();
    }
  },
};

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
