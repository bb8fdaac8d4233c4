/**
 * The forwarder killed mid-batch: a forwarder in a child process is SIGKILLed twice while it
 * publishes (confirmed events not yet checkpointed), then a third one finishes. RabbitMQ has no
 * broker-side deduplication, so the queue holds the republished events twice; the consumer's
 * inbox drops them by event id and applies every event once, each stream in order. On the
 * PostgreSQL server and on a PGlite data directory.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { connect } from "amqplib";
import { createEventStore } from "@strata/runtime";
import type { DatabaseConfig, RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { producerRegistry } from "./broker-registry.fixture.js";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { deleteTopology, freshTopology, queueDepth, RABBITMQ_URL } from "./rabbitmq-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./forwarder-child.fixture.ts", import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly published: () => number;
  readonly lag: () => number | undefined;
}

function startChild(config: Record<string, unknown>): Promise<Child> {
  const child = spawn(process.execPath, ["--conditions=@strata/source", "--import", "tsx", CHILD], { env: { ...process.env, STRATA_CHILD: JSON.stringify(config) }, stdio: ["ignore", "pipe", "inherit"] });
  let published = 0;
  let lag: number | undefined;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`forwarder child exited early with ${code}`)));
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) {
        if (line === "started") resolve({ process: child, published: () => published, lag: () => lag });
        if (line === "published") published += 1;
        if (line.startsWith("lag ")) lag = Number(line.slice(4));
      }
    });
  });
}

async function kill(child: Child, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  child.process.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill(signal);
  await exited;
}

async function forwardThroughCrashes(config: Record<string, unknown>): Promise<number> {
  let total = 0;
  for (let round = 0; round < 2; round += 1) {
    const child = await startChild(config);
    await expect.poll(child.published, { timeout: 60_000, interval: 10 }).toBeGreaterThan(120);
    await kill(child, "SIGKILL");
    total += child.published();
  }
  const last = await startChild(config);
  await expect.poll(last.lag, { timeout: 90_000, interval: 50 }).toBe(0);
  await kill(last, "SIGTERM");
  return total + last.published();
}

async function appendAll(database: DatabaseConfig, schema: string): Promise<RecordedEvent[]> {
  const store = await createEventStore({ registry: producerRegistry, database, schema, personalData: "unencrypted" });
  const appended: RecordedEvent[] = [];
  for (let round = 0; round < 60; round += 1) {
    for (let account = 0; account < 10; account += 1) {
      appended.push(...(await store.append(`account-${account}`, [{ type: "MoneyDeposited", data: { amount: round + 1, currency: "EUR" } }])).events);
    }
  }
  await store.close();
  return appended;
}

describe("forwarder killed with SIGKILL mid-batch", () => {
  const topologies: { exchange: string; queue: string }[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await deleteTopology(RABBITMQ_URL, topologies);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const check = async (config: Record<string, unknown>, appended: readonly RecordedEvent[]): Promise<void> => {
    const topology = freshTopology();
    topologies.push(topology);
    const admin = await connect(RABBITMQ_URL);
    const channel = await admin.createChannel();
    await channel.assertExchange(topology.exchange, "topic", { durable: true });
    await channel.assertQueue(topology.queue, { durable: true, arguments: { "x-single-active-consumer": true } });
    await channel.bindQueue(topology.queue, topology.exchange, `${topology.prefix}.#`);
    await admin.close();
    const confirmed = await forwardThroughCrashes({ ...config, url: RABBITMQ_URL, exchange: topology.exchange, prefix: topology.prefix });
    expect(confirmed).toBeGreaterThan(appended.length);
    // No broker-side deduplication: every confirmed publish is a message in the queue (and a kill
    // may land between a publish reaching the queue and its confirm reaching the child).
    expect(await queueDepth(RABBITMQ_URL, topology.queue)).toBeGreaterThanOrEqual(confirmed);
    const pglite = await PGlite.create();
    const consumer = await consumeRabbitMq({
      name: "recorder",
      url: RABBITMQ_URL,
      queue: topology.queue,
      database: { kind: "pglite", instance: pglite },
      registry: producerRegistry,
      projection: recordingProjection(producerRegistry, { name: "recorder", schema: "received_rm", handles: ["MoneyDeposited"] }),
    });
    try {
      const query = async (text: string) => (await pglite.query<Record<string, unknown>>(text)).rows;
      await expect.poll(() => queueDepth(RABBITMQ_URL, topology.queue), { timeout: 60_000, interval: 100 }).toBe(0);
      await expect.poll(async () => (await readReceived(query, "received_rm")).length, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(appended.length);
      expect(deliveryProblems(appended, await readReceived(query, "received_rm"))).toEqual([]);
    } finally {
      await consumer.stop();
      await pglite.close();
    }
  };

  const url = process.env["DATABASE_URL"];
  it.runIf(url !== undefined && url !== "")("[postgres] every event reaches the consumer once, in stream order", async () => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const appended = await appendAll({ kind: "postgres", pool }, schema);
      await check({ connectionString: url, schema, delayMs: 3 }, appended);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }, 240_000);

  it("[pglite data directory] every event reaches the consumer once, in stream order", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "strata-forwarder-crash-"));
    dirs.push(dataDir);
    const pglite = await PGlite.create(dataDir);
    const appended = await appendAll({ kind: "pglite", instance: pglite }, "strata");
    await pglite.close();
    await check({ dataDir, schema: "strata", delayMs: 3 }, appended);
  }, 240_000);
});
