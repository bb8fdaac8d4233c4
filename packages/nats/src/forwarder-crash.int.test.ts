/**
 * The forwarder killed mid-batch: a forwarder in a child process is SIGKILLed twice while it
 * publishes (its checkpoint not yet moved past confirmed events), then a third one finishes. The
 * republished events are dropped by JetStream's deduplication (`Nats-Msg-Id` = event id), and the
 * consumer receives every event once, each stream in order. On the PostgreSQL server and on a
 * PGlite data directory.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { jetstreamManager } from "@nats-io/jetstream";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived, recordingProjection } from "@strata/runtime/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { appendDeposits, forwardThroughCrashes, producerRegistry } from "@strata/broker-testing";
import { consumeJetStream } from "./consume-jetstream.js";
import { deleteStreams, freshStream, NATS_SERVER, openConnection } from "./nats-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./forwarder-child.fixture.ts", import.meta.url));

/** Consumes the stream into a fresh PGlite (the consumer's own database) and checks the delivery. */
async function consumeAndCheck(stream: string, appended: readonly RecordedEvent[]): Promise<void> {
  const pglite = await PGlite.create();
  const consumer = await consumeJetStream({
    name: "recorder",
    servers: NATS_SERVER,
    stream,
    database: { kind: "pglite", instance: pglite },
    registry: producerRegistry,
    projection: recordingProjection(producerRegistry, { name: "recorder", schema: "received_rm", handles: ["MoneyDeposited"] }),
  });
  try {
    const query = async (text: string) => (await pglite.query<Record<string, unknown>>(text)).rows;
    await expect.poll(async () => (await readReceived(query, "received_rm")).length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(appended.length);
    expect(deliveryProblems(appended, await readReceived(query, "received_rm"))).toEqual([]);
  } finally {
    await consumer.stop();
    await pglite.close();
  }
}

describe("forwarder killed with SIGKILL mid-batch", () => {
  const streams: string[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    const connection = await openConnection();
    await deleteStreams(connection, streams);
    await connection.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const check = async (config: Record<string, unknown>, appended: readonly RecordedEvent[], stream: string): Promise<void> => {
    const confirmed = await forwardThroughCrashes(CHILD, config);
    // The killed children had publishes confirmed past their checkpoint: those went out again.
    expect(confirmed).toBeGreaterThan(appended.length);
    const connection = await openConnection();
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    await connection.close();
    expect(info.state.messages).toBe(appended.length);
    await consumeAndCheck(stream, appended);
  };

  const url = process.env["DATABASE_URL"];
  it.runIf(url !== undefined && url !== "")("[postgres] every event reaches JetStream once and the consumer once, in stream order", async () => {
    const stream = freshStream();
    streams.push(stream.name);
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const appended = await appendDeposits({ kind: "postgres", pool }, schema);
      await check({ connectionString: url, schema, server: NATS_SERVER, stream: stream.name, prefix: stream.prefix, delayMs: 3 }, appended, stream.name);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }, 240_000);

  it("[pglite data directory] every event reaches JetStream once and the consumer once, in stream order", async () => {
    const stream = freshStream();
    streams.push(stream.name);
    const dataDir = await mkdtemp(path.join(tmpdir(), "strata-forwarder-crash-"));
    dirs.push(dataDir);
    const pglite = await PGlite.create(dataDir);
    const appended = await appendDeposits({ kind: "pglite", instance: pglite }, "strata");
    await pglite.close();
    await check({ dataDir, schema: "strata", server: NATS_SERVER, stream: stream.name, prefix: stream.prefix, delayMs: 3 }, appended, stream.name);
  }, 240_000);
});
