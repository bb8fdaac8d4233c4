/**
 * The JetStream side of a forwarder: every message is published with its event id as
 * `Nats-Msg-Id` (JetStream's deduplication key) and resolves only on JetStream's publish ack,
 * which the server sends once the message is stored in the stream.
 *
 * @module
 */
import { jetstream } from "@nats-io/jetstream";
import { connect, headers as natsHeaders } from "@nats-io/transport-node";
import type { NatsConnection, NodeConnectionOptions } from "@nats-io/transport-node";
import type { EventPublisher } from "@strata/runtime";
import { publishError } from "./internal/classify-error.js";
import { ensureJetStreamStream } from "./jetstream-stream.js";
import type { JetStreamStreamConfig } from "./jetstream-stream.js";

/** Options of {@link createJetStreamPublisher}: a connection of yours, or servers to connect to. */
export interface JetStreamPublisherOptions {
  /** An open connection; not closed by `close()`. */
  readonly connection?: NatsConnection;
  /** Servers to connect to (for example `"127.0.0.1:4222"`) when no connection is given; reconnects forever. */
  readonly servers?: string | readonly string[];
  /** Further connection options (credentials, TLS, name) for the connection opened here. */
  readonly connectOptions?: Omit<NodeConnectionOptions, "servers">;
  /** Creates this stream when it is missing. */
  readonly stream?: JetStreamStreamConfig;
  /** How long to wait for a publish ack (default 5 000 ms); then `BrokerUnavailableError`. */
  readonly ackTimeoutMs?: number;
}

/** A JetStream publisher; `connection` is the one it publishes on. */
export interface JetStreamPublisher extends EventPublisher {
  readonly connection: NatsConnection;
}

/**
 * Opens a publisher for `defineForwarder`.
 *
 * @example
 * ```ts
 * const publisher = await createJetStreamPublisher({ servers: "127.0.0.1:4222", stream: { name: "BANK", subjects: ["bank.>"] } });
 * const toNats = defineForwarder(bankingRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("bank") });
 * ```
 */
export async function createJetStreamPublisher(options: JetStreamPublisherOptions): Promise<JetStreamPublisher> {
  const owned = options.connection === undefined;
  const connection =
    options.connection ??
    (await connect({ ...options.connectOptions, servers: typeof options.servers === "string" ? options.servers : [...(options.servers ?? ["127.0.0.1:4222"])], maxReconnectAttempts: -1 }));
  if (options.stream !== undefined) await ensureJetStreamStream(connection, options.stream);
  const js = jetstream(connection);
  const timeout = options.ackTimeoutMs ?? 5_000;
  return {
    system: "nats",
    connection,
    publish: async (message) => {
      const headers = natsHeaders();
      for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
      try {
        await js.publish(message.destination, message.body, { msgID: message.id, headers, timeout });
      } catch (error) {
        throw publishError(error, message);
      }
    },
    close: async () => {
      if (owned && !connection.isClosed()) await connection.drain();
    },
  };
}
