/** Test fixture: unique JetStream streams on the shared server, deleted after the suite. */
import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/transport-node";

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
