/**
 * The forwarder killed mid-batch: a forwarder in a child process is SIGKILLed twice while it
 * publishes (confirmed events not yet checkpointed), then a third one finishes. RabbitMQ has no
 * broker-side deduplication, so the queue holds the republished events twice; the consumer's
 * inbox drops them by event id and applies every event once, each stream in order. On the
 * PostgreSQL server and on a PGlite data directory.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { appendDeposits, forwardThroughCrashes, producerRegistry } from "@strata/broker-testing";
import { consumeRabbitMq } from "./consume-rabbitmq.js";
import { queueDepth, RABBITMQ_URL, useTopologies } from "./rabbitmq-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./forwarder-child.fixture.ts", import.meta.url));

describe("forwarder killed with SIGKILL mid-batch", () => {
  const topologies = useTopologies();
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const check = async (config: Record<string, unknown>, appended: readonly RecordedEvent[]): Promise<void> => {
    const topology = await topologies.declare();
    const confirmed = await forwardThroughCrashes(CHILD, { ...config, url: RABBITMQ_URL, exchange: topology.exchange, prefix: topology.prefix });
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
      const appended = await appendDeposits({ kind: "postgres", pool }, schema);
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
    const appended = await appendDeposits({ kind: "pglite", instance: pglite }, "strata");
    await pglite.close();
    await check({ dataDir, schema: "strata", delayMs: 3 }, appended);
  }, 240_000);
});
