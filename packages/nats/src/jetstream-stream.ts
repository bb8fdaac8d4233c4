/**
 * Declaring the JetStream stream that forwarded events are stored in.
 *
 * @module
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { StreamInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/** A JetStream stream for forwarded events. */
export interface JetStreamStreamConfig {
  /** The stream's name (letters, digits, `_`, `-`). */
  readonly name: string;
  /** The subjects it stores, for example `["bank.>"]` for the destinations `bank.<category>.<type>`. */
  readonly subjects: readonly string[];
  /**
   * The window in which JetStream drops a message whose `Nats-Msg-Id` (the event id) it has seen
   * (default 2 minutes, the server's default). A forwarder that republishes after a crash within
   * it stores nothing twice; later repeats reach the consumers, whose inbox drops them.
   */
  readonly duplicateWindowMs?: number;
  /** `"file"` (default) or `"memory"`. */
  readonly storage?: "file" | "memory";
}

/** Creates the stream when it does not exist; returns its info. An existing stream is left as it is. */
export async function ensureJetStreamStream(connection: NatsConnection, config: JetStreamStreamConfig): Promise<StreamInfo> {
  const manager = await jetstreamManager(connection);
  try {
    return await manager.streams.info(config.name);
  } catch (error) {
    if (!(error instanceof Error && error.name === "StreamNotFoundError")) throw error;
  }
  return manager.streams.add({
    name: config.name,
    subjects: [...config.subjects],
    duplicate_window: (config.duplicateWindowMs ?? 120_000) * 1_000_000,
    storage: config.storage === "memory" ? ("memory" as never) : ("file" as never),
  });
}
