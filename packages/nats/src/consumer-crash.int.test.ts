/**
 * The consumer killed mid-stream: a JetStream consumer in a child process is SIGKILLed twice
 * while it applies batches, then a third one reads to the stream's end. The stream also holds
 * repeats of the first 100 events under new `Nats-Msg-Id`s (what a forwarder republishing after
 * JetStream's duplicate window leaves behind), so the consumer's deduplication by event id is
 * exercised too. Every event is applied once, each stream in order. On the PostgreSQL server and
 * on a PGlite data directory.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import { toOutgoingMessage } from "@strata/runtime";
import type { RecordedEvent } from "@strata/runtime";
import { deliveryProblems, readReceived } from "@strata/runtime/testing";
import { depositEvents, killConsumerTwiceMidStream, publishPerStream, startConsumerChild, stopChildProcess } from "@strata/broker-testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createJetStreamPublisher } from "./jetstream-publisher.js";
import { deleteStreams, freshStream, NATS_SERVER, openConnection } from "./nats-test-kit.fixture.js";

const CHILD = fileURLToPath(new URL("./consumer-child.fixture.ts", import.meta.url));
const EVENTS = 600;
const REPEATS = 100;

/** 600 events of 10 streams published as a forwarder would, then the first 100 again under new message ids. */
async function fillStream(): Promise<{ readonly stream: string; readonly events: RecordedEvent[] }> {
  const { name, prefix } = freshStream();
  const publisher = await createJetStreamPublisher({ servers: NATS_SERVER, stream: { name, subjects: [`${prefix}.>`] } });
  const events = depositEvents(EVENTS);
  const destination = `${prefix}.account.MoneyDeposited`;
  await publishPerStream(events, (event) => publisher.publish(toOutgoingMessage(event, destination)));
  // Repeats JetStream does not drop (their Nats-Msg-Id is new); the inbox must, by event id.
  const js = jetstream(publisher.connection);
  for (const event of events.slice(0, REPEATS)) {
    const message = toOutgoingMessage(event, destination);
    const headers = natsHeaders();
    for (const [header, value] of Object.entries(message.headers)) headers.set(header, value);
    await js.publish(destination, message.body, { msgID: `${event.id}:again`, headers });
  }
  await publisher.close();
  return { stream: name, events };
}

describe("JetStream consumer killed with SIGKILL mid-stream", () => {
  const streams: string[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    const connection = await openConnection();
    await deleteStreams(connection, streams);
    await connection.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const crashThrough = async (stream: string, config: Record<string, unknown>): Promise<void> => {
    const connection = await openConnection();
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    await connection.close();
    expect(info.state.messages).toBe(EVENTS + REPEATS);
    await killConsumerTwiceMidStream(CHILD, { ...config, server: NATS_SERVER, stream });
    const last = await startConsumerChild(CHILD, { ...config, server: NATS_SERVER, stream });
    // Read to the last message, repeats included (their batches commit the position too).
    await expect.poll(last.position, { timeout: 90_000, interval: 100 }).toBe(info.state.last_seq);
    await stopChildProcess(last.process, "SIGTERM");
  };

  const url = process.env["DATABASE_URL"];
  it.runIf(url !== undefined && url !== "")("[postgres] applies every event once, in stream order, repeats dropped", async () => {
    const { stream, events } = await fillStream();
    streams.push(stream);
    const id = randomBytes(5).toString("hex");
    const readSchema = `rm_${id}`;
    const inboxSchema = `inbox_${id}`;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await crashThrough(stream, { connectionString: url, readSchema, inboxSchema });
      const received = await readReceived(async (text) => (await pool.query(text)).rows as Record<string, unknown>[], readSchema);
      expect(received).toHaveLength(EVENTS);
      expect(deliveryProblems(events, received)).toEqual([]);
    } finally {
      for (const schema of [readSchema, inboxSchema]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }, 240_000);

  it("[pglite data directory] applies every event once, in stream order, repeats dropped", async () => {
    const { stream, events } = await fillStream();
    streams.push(stream);
    const dataDir = await mkdtemp(path.join(tmpdir(), "strata-jetstream-consumer-crash-"));
    dirs.push(dataDir);
    await crashThrough(stream, { dataDir, readSchema: "received_rm", inboxSchema: "strata_inbox" });
    const pglite = await PGlite.create(dataDir);
    try {
      const received = await readReceived(async (text) => (await pglite.query<Record<string, unknown>>(text)).rows, "received_rm");
      expect(received).toHaveLength(EVENTS);
      expect(deliveryProblems(events, received)).toEqual([]);
    } finally {
      await pglite.close();
    }
  }, 240_000);
});
