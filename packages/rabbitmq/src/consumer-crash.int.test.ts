/**
 * The consumer killed mid-stream: a consumer in a child process is SIGKILLed twice while it
 * applies batches (some committed but not yet acknowledged, so RabbitMQ delivers them again),
 * then a third one drains the queue. Every event is applied once, each stream in order. On the
 * PostgreSQL server and on a PGlite data directory.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { toOutgoingMessage } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived } from "@strata/runtime/testing";
import { depositEvents, killConsumerTwiceMidStream, publishPerStream, startConsumerChild, stopChildProcess } from "@strata/broker-testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
import { declareTopology, deleteTopology, freshTopology, RABBITMQ_URL } from "./rabbitmq-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./consumer-child.fixture.ts", import.meta.url));

/** 600 events of 10 streams, published straight to the queue as a forwarder would. */
async function fillQueue(): Promise<{ readonly queue: string; readonly exchange: string; readonly events: RecordedEvent[] }> {
  const topology = freshTopology();
  await declareTopology(RABBITMQ_URL, topology, "#");
  const publisher = createRabbitMqPublisher({ url: RABBITMQ_URL, exchange: topology.exchange });
  const events = depositEvents(600);
  await publishPerStream(events, (event) => publisher.publish(toOutgoingMessage(event, `account.MoneyDeposited`)));
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
    await killConsumerTwiceMidStream(CHILD, config);
    const last = await startConsumerChild(CHILD, config);
    // Rows committed by the last consumer (its own count: a PGlite data directory has one user at a time).
    await expect.poll(last.received, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(600);
    await stopChildProcess(last.process, "SIGTERM");
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
