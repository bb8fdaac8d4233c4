/**
 * Consuming a JetStream stream into a projection or handler, exactly once in effect. The stream
 * is read with an ordered consumer (no acknowledgements: the consumer's position is the highest
 * stream sequence applied, stored by the inbox in the consumer's own database, in the
 * transaction that applies the events). On start, and after any interruption, reading resumes
 * right after that position, so messages arrive in stream order (which is each Strata stream's
 * order, see `defineForwarder`) and none is applied twice: by position, and by event id for
 * events the forwarder published twice outside JetStream's duplicate window.
 *
 * @module
 */
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection, NodeConnectionOptions } from "@nats-io/transport-node";
import { createInbox, isStrataError } from "@strata/runtime";
import type { EventRegistry, EventShape, IncomingMessage, Inbox, InboxOptions, ProjectableEvent } from "@strata/runtime";
import { runUntilStopped } from "./internal/consumer-loop.js";
import { drainInBatches } from "./internal/drain-in-batches.js";

/** Options of {@link consumeJetStream}: the inbox's (name, database, registry, projection or handler, failure policy) and where to read. */
export interface JetStreamConsumerOptions<R extends EventRegistry<EventShape>, T extends string> extends Omit<InboxOptions<R, T>, "messaging"> {
  /** An open connection; not closed by `stop()`. */
  readonly connection?: NatsConnection;
  /** Servers to connect to when no connection is given (default `127.0.0.1:4222`); reconnects forever. */
  readonly servers?: string | readonly string[];
  readonly connectOptions?: Omit<NodeConnectionOptions, "servers">;
  /** The JetStream stream to read. */
  readonly stream: string;
  /** Only subjects matching this (for example `"bank.account.>"`); default: the whole stream. */
  readonly filterSubject?: string;
  /** Messages applied per transaction at most (default 256); fewer when no more are waiting. */
  readonly batchSize?: number;
  /** Called when reading is interrupted (the broker restarted, the database is down); reading resumes with backoff. */
  readonly onError?: (error: unknown) => void;
}

/** A running consumer. */
export interface JetStreamConsumer {
  readonly inbox: Inbox;
  /** Settles when the consumer stops: resolves after `stop()`, rejects with `ConsumerStoppedError` when the failure policy stopped it. */
  readonly done: Promise<void>;
  /** Stops reading after the current batch and closes what the consumer opened. */
  stop(): Promise<void>;
}

function toIncoming(message: JsMsg, stream: string): IncomingMessage {
  return {
    messageId: `${stream}:${message.seq}`,
    header: (name) => {
      const value = message.headers?.get(name);
      return value === undefined || value === "" ? undefined : value;
    },
    body: message.data,
    position: { source: stream, sequence: BigInt(message.seq) },
  };
}

/**
 * Starts consuming `stream` into the inbox's projection or handler.
 *
 * @example
 * ```ts
 * const consumer = await consumeJetStream({
 *   name: "ledger", stream: "BANK", filterSubject: "bank.account.>", servers: "127.0.0.1:4222",
 *   database: { kind: "postgres", connectionString }, registry: bankingRegistry, projection: ledger,
 *   failure: { maxAttempts: 5, onExhausted: "dead-letter" },
 * });
 * process.on("SIGTERM", () => void consumer.stop());
 * ```
 */
export async function consumeJetStream<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(options: JetStreamConsumerOptions<R, T>): Promise<JetStreamConsumer> {
  const { connection: given, servers, connectOptions, stream, filterSubject, batchSize = 256, onError, ...inboxOptions } = options;
  // T is already checked against R by this function's signature; createInbox re-checks the same constraint.
  const open = createInbox as (inboxOptions: InboxOptions<R, T>) => Promise<Inbox>;
  const inbox = await open({ ...inboxOptions, messaging: { system: "nats", destination: filterSubject ?? stream } });
  let connection: NatsConnection;
  try {
    connection = given ?? (await connect({ ...connectOptions, servers: typeof servers === "string" ? servers : [...(servers ?? ["127.0.0.1:4222"])], maxReconnectAttempts: -1 }));
  } catch (error) {
    await inbox.close();
    throw error;
  }
  const js = jetstream(connection);
  let current: ConsumerMessages | undefined;

  const readOnce = async (signal: AbortSignal): Promise<void> => {
    const after = (await inbox.position(stream)) ?? 0n;
    const consumer = await js.consumers.get(stream, {
      ...(after > 0n ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(after + 1n) } : { deliver_policy: DeliverPolicy.All }),
      ...(filterSubject === undefined ? {} : { filter_subjects: filterSubject }),
    });
    // Pull requests expire after 5 s (heartbeats every 2.5 s), so a restarted server is noticed within seconds.
    const messages = await consumer.consume({ max_messages: batchSize * 2, expires: 5_000 });
    current = messages;
    try {
      for await (const batch of drainInBatches(messages, batchSize, () => messages.stop())) {
        await inbox.deliver(
          batch.map((message) => toIncoming(message, stream)),
          signal,
        );
        if (signal.aborted) break;
      }
    } finally {
      messages.stop();
      current = undefined;
    }
  };

  const loop = runUntilStopped(readOnce, {
    onError: (error) => onError?.(error),
    isFatal: (error) => isStrataError(error, "CONSUMER_STOPPED"),
    onStop: () => current?.stop(),
  });
  const done = loop.done.finally(async () => {
    if (given === undefined && !connection.isClosed()) await connection.close().catch(() => undefined);
    await inbox.close().catch(() => undefined);
  });
  done.catch(() => undefined);
  return {
    inbox,
    done,
    stop: async () => {
      loop.stop();
      await done.catch(() => undefined);
    },
  };
}
