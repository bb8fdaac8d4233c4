/** Test fixture: unique JetStream streams on the shared server, deleted after the suite. */
import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll } from "vitest";

/** The NATS server the tests use (`NATS_URL`, default the shared one). */
export const NATS_SERVER = process.env["NATS_URL"] ?? "127.0.0.1:4222";

/** A fresh stream name and its subject prefix, e.g. `T_1a2b3c` and `t1a2b3c`. */
export function freshStream(): { readonly name: string; readonly prefix: string } {
  const id = randomBytes(5).toString("hex");
  return { name: `STRATA_T_${id}`, prefix: `t${id}` };
}

/** Deletes the named streams (ignoring those already gone) and closes `connection`. */
export async function deleteStreams(connection: NatsConnection, names: readonly string[]): Promise<void> {
  const manager = await jetstreamManager(connection);
  for (const name of names) await manager.streams.delete(name).catch(() => false);
}

/** Opens a connection to `server`. */
export function openConnection(server = NATS_SERVER): Promise<NatsConnection> {
  return connect({ servers: server, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
}

/**
 * Deletes every stream that listens on `subject` (a leftover of an interrupted run would make
 * creating a stream with the same subjects fail with "subjects overlap").
 */
export async function deleteStreamsOn(subject: string): Promise<void> {
  const connection = await openConnection();
  try {
    const manager = await jetstreamManager(connection);
    const names: string[] = [];
    for await (const info of manager.streams.list(subject)) names.push(info.config.name);
    await deleteStreams(connection, names);
  } finally {
    await connection.close();
  }
}

/** A suite's JetStream: one connection, and fresh streams deleted after the suite. */
export interface JetStreamSuite {
  /** The suite's connection (open from `beforeAll` to `afterAll`). */
  readonly connection: () => NatsConnection;
  /** A fresh stream name and subject prefix, deleted after the suite. */
  readonly freshStream: () => { readonly name: string; readonly prefix: string };
}

/** Registers, in the current suite, a connection opened before all tests and the streams they made deleted after. */
export function useJetStream(): JetStreamSuite {
  let connection: NatsConnection | undefined;
  const streams: string[] = [];
  beforeAll(async () => {
    connection = await openConnection();
  });
  afterAll(async () => {
    if (connection === undefined) return;
    await deleteStreams(connection, streams);
    await connection.close();
  });
  return {
    connection: () => {
      if (connection === undefined) throw new Error("useJetStream: the connection opens in beforeAll");
      return connection;
    },
    freshStream: () => {
      const stream = freshStream();
      streams.push(stream.name);
      return stream;
    },
  };
}
