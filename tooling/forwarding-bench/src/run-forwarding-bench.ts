/**
 * `pnpm bench` for the forwarders. For each broker, on PostgreSQL (DATABASE_URL):
 *
 * 1. raw: the same 100,000 messages published with the broker's own client, 256 unconfirmed at
 *    a time, each confirmed — the baseline;
 * 2. forward: a forwarder catching up on 100,000 stored events (1,000 streams, interleaved),
 *    batches of 1,000, at most 256 publishes in flight, checkpoint after each confirmed batch;
 *    and on 20,000 events appended 100 at a time per stream (200 streams), where per-stream
 *    order (one unconfirmed publish per stream) limits how many publishes can be in flight;
 * 3. consume: a consumer applying them through its inbox (event ids recorded in PostgreSQL);
 * 4. latency: 1,000 events appended one at a time (about 200/s) with the forwarder and consumer
 *    running live: append start to the consumer's handler, p50 / p99.
 *
 * Checks: the broker holds exactly the events (NATS: stream messages; RabbitMQ: queue depth), and
 * the consumer saw each once. Figures print as a Markdown table and go to results/latest.json.
 * `--quick` runs a tenth of the events.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createEventStore, createProjectionEngine, defineForwarder, toOutgoingMessage } from "@strata/runtime";
import type { EventStore, OutgoingMessage, RecordedEvent } from "@strata/runtime";
import pg from "pg";
import { benchRegistry, deposit } from "./bench-registry.js";
import type { Deposited } from "./bench-registry.js";
import type { BrokerUnderTest } from "./broker-under-test.js";
import { natsBroker } from "./nats-broker.js";
import { rabbitMqBroker } from "./rabbitmq-broker.js";

const quick = process.argv.includes("--quick");
const EVENTS = quick ? 10_000 : 100_000;
const STREAMS = 1_000;
const LIVE = quick ? 200 : 1_000;
const HOT_EVENTS = EVENTS / 5;
const HOT_STREAMS = HOT_EVENTS / 100;
const WINDOW = 256;
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://root@127.0.0.1:5432/test";
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Figures {
  readonly broker: string;
  readonly rawPerSecond: number;
  readonly forwardPerSecond: number;
  /** Forwarding streams whose events were appended back to back (see `seed`). */
  readonly forwardBackToBackPerSecond: number;
  readonly consumePerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly checks: readonly string[];
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `events` events of `streams` streams. Interleaved (the usual shape: many aggregates, a few
 * events each at a time): each transaction appends one event to each of `streams` streams.
 * Back to back: each transaction appends `events / streams` events to one stream, so that a batch
 * holds few streams with long runs, and per-stream ordering (one unconfirmed publish per stream)
 * limits the forwarder to that many concurrent publishes.
 */
async function seed(store: EventStore<Deposited>, events: number, streams: number, shape: "interleaved" | "back-to-back"): Promise<RecordedEvent[]> {
  const perStream = events / streams;
  const recorded: RecordedEvent[] = [];
  if (shape === "interleaved") {
    for (let n = 0; n < perStream; n += 1) {
      const batches = Array.from({ length: streams }, (_, s) => ({ streamId: `account-${s}`, events: [{ type: "Deposited" as const, data: deposit(`account-${s}`, n) }] }));
      for (const result of await store.appendMany(batches)) recorded.push(...(result.events as RecordedEvent[]));
    }
  } else {
    for (let s = 0; s < streams; s += 1) {
      const account = `hot-${s}`;
      const result = await store.append(account, Array.from({ length: perStream }, (_, n) => ({ type: "Deposited" as const, data: deposit(account, n) })));
      recorded.push(...(result.events as RecordedEvent[]));
    }
  }
  return recorded;
}

async function measure(broker: BrokerUnderTest, pool: pg.Pool, schema: string, store: EventStore<Deposited>, events: readonly RecordedEvent[], hotSchema: string): Promise<Figures> {
  const id = randomBytes(3).toString("hex");
  const checks: string[] = [];
  const database = { kind: "postgres" as const, pool };

  const messages: OutgoingMessage[] = events.map((event) => toOutgoingMessage(event, broker.destination(event)));
  let started = performance.now();
  await broker.rawPublish(messages, WINDOW);
  const rawPerSecond = EVENTS / ((performance.now() - started) / 1000);
  log(`  raw client: ${rawPerSecond.toFixed(0)} events/s`);
  await broker.purge?.();

  const publisher = await broker.publisher();
  const forwarder = defineForwarder(benchRegistry, { name: `bench-${id}`, handles: ["Deposited"], publisher, destination: broker.destination, batchSize: 1_000, maxInFlight: WINDOW });
  const engine = await createProjectionEngine({ database, schema, registry: benchRegistry, subscriptions: [forwarder], pollMs: 100 });
  started = performance.now();
  await engine.catchUp(forwarder.name);
  // Every event of the store: the seeded ones, and the live ones an earlier broker's run appended.
  const forwarded = (await engine.status(forwarder.name))[0]?.eventsApplied ?? 0;
  const forwardPerSecond = forwarded / ((performance.now() - started) / 1000);
  log(`  forwarder: ${forwardPerSecond.toFixed(0)} events/s (${forwarded} events)`);
  const stored = await broker.count();
  if (stored !== forwarded) checks.push(`the broker holds ${stored} messages after forwarding ${forwarded} events`);

  const seen = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = await broker.consume({
    name: `bench-${id}`,
    database,
    schema: `inbox_${id}`,
    handler: {
      handles: ["Deposited"],
      handle: async (batch) => {
        const now = performance.now();
        for (const event of batch) {
          seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
          const at = sentAt.get(event.id);
          if (at !== undefined) latencies.push(now - at);
        }
      },
    },
  });
  started = performance.now();
  const progress = setInterval(() => log(`  consumer: ${seen.size} applied so far`), 10_000);
  await until(() => seen.size >= forwarded, 600_000, "the consumer to apply every event").finally(() => clearInterval(progress));
  const consumePerSecond = forwarded / ((performance.now() - started) / 1000);
  log(`  consumer: ${consumePerSecond.toFixed(0)} events/s`);
  if ([...seen.values()].some((count) => count !== 1)) checks.push("an event was applied more than once");
  if (events.some((event) => !seen.has(event.id))) checks.push("an event never reached the consumer");

  await engine.start();
  for (let n = 0; n < LIVE; n += 1) {
    const at = performance.now();
    const result = await store.append(`live-${n % 50}`, [{ type: "Deposited", data: deposit(`live-${n % 50}`, n) }]);
    for (const event of result.events) sentAt.set(event.id, at);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await until(() => latencies.length >= LIVE, 120_000, "the live events to arrive");
  // The consumer may see the last event before the forwarder has committed its checkpoint.
  await until(async () => (await engine.status(forwarder.name))[0]?.lagEvents === 0, 30_000, "the forwarder's lag to reach 0").catch(() => checks.push("forwarder lag above 0 after the run"));
  await consumer.stop();
  await engine.close();

  const hot = defineForwarder(benchRegistry, { name: `bench-hot-${id}`, handles: ["Deposited"], publisher, destination: broker.destination, batchSize: 1_000, maxInFlight: WINDOW });
  const hotEngine = await createProjectionEngine({ database, schema: hotSchema, registry: benchRegistry, subscriptions: [hot], pollMs: 100 });
  started = performance.now();
  await hotEngine.catchUp(hot.name);
  const hotForwarded = (await hotEngine.status(hot.name))[0]?.eventsApplied ?? 0;
  const forwardBackToBackPerSecond = hotForwarded / ((performance.now() - started) / 1000);
  log(`  forwarder, back-to-back streams: ${forwardBackToBackPerSecond.toFixed(0)} events/s (${hotForwarded} events)`);
  await hotEngine.close();
  await publisher.close();
  await pool.query(`DROP SCHEMA IF EXISTS "inbox_${id}" CASCADE`);
  return {
    broker: broker.name,
    rawPerSecond,
    forwardPerSecond,
    forwardBackToBackPerSecond,
    consumePerSecond,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    checks,
  };
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const schema = `strata_fwdbench_${randomBytes(4).toString("hex")}`;
  const hotSchema = `${schema}_hot`;
  const figures: Figures[] = [];
  const loadAtStart = os.loadavg()[0] ?? 0;
  try {
    const store = await createEventStore({ registry: benchRegistry, database: { kind: "postgres", pool }, schema });
    let started = performance.now();
    const events = await seed(store, EVENTS, STREAMS, "interleaved");
    log(`seeded ${events.length} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const hotStore = await createEventStore({ registry: benchRegistry, database: { kind: "postgres", pool }, schema: hotSchema });
    await seed(hotStore, HOT_EVENTS, HOT_STREAMS, "back-to-back");
    await hotStore.close();
    for (const open of [() => natsBroker(process.env["NATS_URL"] ?? "127.0.0.1:4222"), () => rabbitMqBroker(process.env["RABBITMQ_URL"] ?? "amqp://guest:guest@127.0.0.1:5672")]) {
      const broker = await open();
      log(broker.name);
      started = performance.now();
      try {
        figures.push(await measure(broker, pool, schema, store, events, hotSchema));
      } finally {
        await broker.teardown();
      }
      log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await store.close();
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${hotSchema}" CASCADE`);
    await pool.end();
  }
  const format = (value: number) => Math.round(value).toLocaleString("en-US");
  const rows = figures.map(
    (f) =>
      `| ${f.broker} | ${format(f.rawPerSecond)} | ${format(f.forwardPerSecond)} | ${(f.forwardPerSecond / f.rawPerSecond).toFixed(2)}× | ${format(f.forwardBackToBackPerSecond)} | ${format(f.consumePerSecond)} | ${f.latencyP50Ms.toFixed(1)} / ${f.latencyP99Ms.toFixed(1)} | ${f.checks.length === 0 ? "ok" : f.checks.join("; ")} |`,
  );
  console.log(
    [
      `Forwarding ${format(EVENTS)} events of ${STREAMS} streams (${new Date().toISOString()}, ${os.cpus().length} cores, load ${loadAtStart.toFixed(1)} at start, Node ${process.version})`,
      "",
      "| Broker | Raw client publish, events/s | Forwarder, events/s | Forwarder/raw | Forwarder, 100-event runs per stream, events/s | Consumer (inbox), events/s | Append → consume p50 / p99, ms | Checks |",
      "|---|--:|--:|--:|--:|--:|--:|---|",
      ...rows,
    ].join("\n"),
  );
  const out = path.join(import.meta.dirname, "..", "results", "latest.json");
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), quick, events: EVENTS, streams: STREAMS, live: LIVE, window: WINDOW, loadAtStart, figures }, null, 2)}\n`);
  if (figures.some((f) => f.checks.length > 0)) process.exitCode = 1;
}

await main();
