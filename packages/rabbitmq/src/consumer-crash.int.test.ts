/**
 * The consumer killed mid-stream: a consumer in a child process is SIGKILLed twice while it
 * applies batches (some committed but not yet acknowledged, so RabbitMQ delivers them again),
 * then a third one drains the queue. Every event is applied once, each stream in order. On the
 * PostgreSQL server and on a PGlite data directory.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { connect } from "amqplib";
import { toOutgoingMessage } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived } from "@strata/runtime/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { deleteTopology, freshTopology, RABBITMQ_URL } from "./rabbitmq-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./consumer-child.fixture.ts", import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly applied: () => number;
  readonly received: () => number;
}

function startChild(config: Record<string, unknown>): Promise<Child> {
  const child = spawn(process.execPath, ["--conditions=@strata/source", "--import", "tsx", CHILD], { env: { ...process.env, STRATA_CHILD: JSON.stringify(config) }, stdio: ["ignore", "pipe", "inherit"] });
  let applied = 0;
  let received = 0;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`consumer child exited early with ${code}`)));
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) {
        if (line === "started") resolve({ process: child, applied: () => applied, received: () => received });
        if (line.startsWith("applied ")) applied += Number(line.slice(8));
        if (line.startsWith("received ")) received = Number(line.slice(9));
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

/** 600 events of 10 streams, published straight to the queue as a forwarder would. */
async function fillQueue(): Promise<{ readonly queue: string; readonly exchange: string; readonly events: RecordedEvent[] }> {
  const topology = freshTopology();
  const admin = await connect(RABBITMQ_URL);
  const channel = await admin.createChannel();
  await channel.assertExchange(topology.exchange, "topic", { durable: true });
  await channel.assertQueue(topology.queue, { durable: true, arguments: { "x-single-active-consumer": true } });
  await channel.bindQueue(topology.queue, topology.exchange, "#");
  await admin.close();
  const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
  const events: RecordedEvent[] = [];
  for (let n = 0; n < 600; n += 1) {
    const stream = n % 10;
    events.push({
      id: randomUUID(),
      streamId: `account-${stream}`,
      version: Math.floor(n / 10) + 1,
      globalPosition: BigInt(n + 1),
      checkpoint: "",
      type: "MoneyDeposited",
      schemaVersion: 2,
      storedSchemaVersion: 2,
      data: { amount: n + 1, currency: "EUR" },
      metadata: {},
      recordedAt: new Date(),
    } as RecordedEvent);
  }
  await Promise.all(Array.from({ length: 10 }, async (_, stream) => {
    for (const event of events.filter((candidate) => candidate.streamId === `account-${stream}`)) await publisher.publish(toOutgoingMessage(event, `account.MoneyDeposited`));
  }));
  await publisher.close();
  return { ...topology, events: events.sort((a, b) => Number(a.globalPosition - b.globalPosition)) };
}

describe("consumer killed with SIGKILL mid-stream", () => {
  const topologies: { exchange: string; queue: string }[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await deleteTopology(RABBITMQ_URL, topologies);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const crashThrough = async (config: Record<string, unknown>): Promise<void> => {
    for (let round = 0; round < 2; round += 1) {
      const child = await startChild(config);
      await expect.poll(child.applied, { timeout: 60_000, interval: 5 }).toBeGreaterThan(120);
      await kill(child, "SIGKILL");
    }
    const last = await startChild(config);
    // Rows committed by the last consumer (its own count: a PGlite data directory has one user at a time).
    await expect.poll(last.received, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(600);
    await kill(last, "SIGTERM");
  };

  const url = process.env["DATABASE_URL"];
  it.runIf(url !== undefined && url !== "")("[postgres] applies every event once, in stream order", async () => {
    const { queue, exchange, events } = await fillQueue();
    topologies.push({ queue, exchange });
    const id = randomBytes(5).toString("hex");
    const readSchema = `rm_${id}`;
    const inboxSchema = `inbox_${id}`;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await crashThrough({ connectionString: url, url: RABBITMQ_URL, queue, readSchema, inboxSchema });
      const received = await readReceived(async (text) => (await pool.query(text)).rows as Record<string, unknown>[], readSchema);
      expect(deliveryProblems(events, received)).toEqual([]);
    } finally {
      for (const schema of [readSchema, inboxSchema]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }, 240_000);

  it("[pglite data directory] applies every event once, in stream order", async () => {
    const { queue, exchange, events } = await fillQueue();
    topologies.push({ queue, exchange });
    const dataDir = await mkdtemp(path.join(tmpdir(), "strata-consumer-crash-"));
    dirs.push(dataDir);
    await crashThrough({ dataDir, url: RABBITMQ_URL, queue, readSchema: "received_rm", inboxSchema: "strata_inbox" });
    const pglite = await PGlite.create(dataDir);
    try {
      const received = await readReceived(async (text) => (await pglite.query<Record<string, unknown>>(text)).rows, "received_rm");
      expect(deliveryProblems(events, received)).toEqual([]);
    } finally {
      await pglite.close();
    }
  }, 240_000);
});
