/**
 * Consuming a RabbitMQ queue into a projection or handler, exactly once in effect. Deliveries are
 * applied in batches through the inbox (the event ids recorded with the read model, in its
 * transaction) and acknowledged only after that transaction committed; a crash before the
 * acknowledgement requeues them and the inbox drops them as duplicates.
 *
 * Order: RabbitMQ requeues unacknowledged messages at their original place, and the queue is
 * declared with single active consumer by default, so one consumer at a time receives it in
 * queue order, which is each Strata stream's order (see `defineForwarder`).
 *
 * @module
 */
import { connect } from "amqplib";
import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { createInbox, isStrataError } from "@strata/runtime";
import type { EventRegistry, EventShape, IncomingMessage, Inbox, InboxOptions, ProjectableEvent } from "@strata/runtime";
import { runUntilStopped } from "./internal/consumer-loop.js";
import { DeliveryBuffer } from "./internal/delivery-buffer.js";

/** Options of {@link consumeRabbitMq}: the inbox's (name, database, registry, projection or handler, failure policy) and the queue. */
export interface RabbitMqConsumerOptions<R extends EventRegistry<EventShape>, T extends string> extends Omit<InboxOptions<R, T>, "messaging"> {
  /** Broker URL when no connection is given (default `amqp://guest:guest@127.0.0.1:5672`). */
  readonly url?: string;
  /** An open connection; not closed by `stop()`. */
  readonly connection?: ChannelModel;
  /** The queue to consume. */
  readonly queue: string;
  /** Declare the queue (durable, single active consumer unless `singleActiveConsumer: false`) on start (default `true`). */
  readonly assertQueue?: boolean;
  readonly singleActiveConsumer?: boolean;
  /** Bindings declared on start: the exchange (declared as a durable topic exchange) and routing-key patterns. */
  readonly bindings?: readonly { readonly exchange: string; readonly patterns: readonly string[] }[];
  /** Messages applied per transaction at most, and the channel's prefetch (default 256). */
  readonly batchSize?: number;
  /** Called when consuming is interrupted (the broker restarted, the database is down); it resumes with backoff. */
  readonly onError?: (error: unknown) => void;
}

/** A running consumer. */
export interface RabbitMqConsumer {
  readonly inbox: Inbox;
  /** Settles when the consumer stops: resolves after `stop()`, rejects with `ConsumerStoppedError` when the failure policy stopped it. */
  readonly done: Promise<void>;
  /** Stops after the current batch and closes what the consumer opened; unacknowledged deliveries go back to the queue. */
  stop(): Promise<void>;
}

function headerOf(message: ConsumeMessage, name: string): string | undefined {
  const value: unknown = message.properties.headers?.[name];
  if (typeof value === "string") return value === "" ? undefined : value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return undefined;
}

function toIncoming(message: ConsumeMessage, queue: string): IncomingMessage {
  const id = message.properties.messageId as unknown;
  return {
    messageId: typeof id === "string" && id !== "" ? id : `${queue}#${message.fields.deliveryTag}`,
    header: (name) => headerOf(message, name),
    body: message.content,
  };
}

/**
 * Starts consuming `queue` into the inbox's projection or handler. Resolves once the queue and
 * its bindings are declared and consumed from, so a forwarder started afterwards finds them (a
 * message published before a queue is bound never reaches it); when the broker cannot be reached
 * at start, resolves after the first failed attempt and keeps trying in the background.
 *
 * @example
 * ```ts
 * const consumer = await consumeRabbitMq({
 *   name: "ledger", queue: "ledger", bindings: [{ exchange: "bank", patterns: ["bank.account.*"] }],
 *   database: { kind: "postgres", connectionString }, registry: bankingRegistry, projection: ledger,
 * });
 * ```
 */
export async function consumeRabbitMq<R extends EventRegistry<EventShape>, const T extends ProjectableEvent<R>["type"]>(options: RabbitMqConsumerOptions<R, T>): Promise<RabbitMqConsumer> {
  const { url = "amqp://guest:guest@127.0.0.1:5672", connection: given, queue, assertQueue = true, singleActiveConsumer = true, bindings = [], batchSize = 256, onError, ...inboxOptions } = options;
  // T is already checked against R by this function's signature; createInbox re-checks the same constraint.
  const open = createInbox as (inboxOptions: InboxOptions<R, T>) => Promise<Inbox>;
  const inbox = await open({ ...inboxOptions, messaging: { system: "rabbitmq", destination: queue } });
  let channel: Channel | undefined;
  let buffer: DeliveryBuffer<ConsumeMessage> | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const session = async (signal: AbortSignal): Promise<void> => {
    const model = given ?? (await connect(url));
    const owned = given === undefined;
    const deliveries = new DeliveryBuffer<ConsumeMessage>();
    buffer = deliveries;
    let closedBy: unknown;
    let thisChannel: Channel | undefined;
    try {
      model.on("error", () => undefined);
      thisChannel = await model.createChannel();
      channel = thisChannel;
      thisChannel.on("error", (error: unknown) => (closedBy = error));
      thisChannel.on("close", () => deliveries.close());
      if (owned) model.on("close", () => deliveries.close());
      await thisChannel.prefetch(batchSize);
      if (assertQueue) await thisChannel.assertQueue(queue, { durable: true, ...(singleActiveConsumer ? { arguments: { "x-single-active-consumer": true } } : {}) });
      for (const binding of bindings) {
        await thisChannel.assertExchange(binding.exchange, "topic", { durable: true });
        for (const pattern of binding.patterns) await thisChannel.bindQueue(queue, binding.exchange, pattern);
      }
      await thisChannel.consume(queue, (message) => (message === null ? deliveries.close() : deliveries.push(message)), { noAck: false });
      markReady();
      for (;;) {
        const batch = await deliveries.take(batchSize);
        if (batch === undefined || signal.aborted) break;
        await inbox.deliver(
          batch.map((message) => toIncoming(message, queue)),
          signal,
        );
        // Every earlier delivery on this channel was in this batch or an earlier one: acknowledge up to the last.
        thisChannel.ack(batch.at(-1) as ConsumeMessage, true);
      }
      if (!signal.aborted) throw closedBy ?? new Error(`the channel consuming "${queue}" closed`);
    } finally {
      channel = undefined;
      // Unacknowledged deliveries go back to the queue only when their channel closes; on a
      // connection the caller owns, the channel is all that can be closed, and it must be, or it
      // keeps them (and, as the single active consumer, the queue) from the next session.
      if (owned) await model.close().catch(() => undefined);
      else await thisChannel?.close().catch(() => undefined);
    }
  };

  const loop = runUntilStopped(session, {
    onError: (error) => {
      markReady();
      onError?.(error);
    },
    isFatal: (error) => isStrataError(error, "CONSUMER_STOPPED"),
    onStop: () => {
      buffer?.close();
      void channel?.close().catch(() => undefined);
    },
  });
  const done = loop.done.finally(() => inbox.close().catch(() => undefined));
  done.catch(() => undefined);
  await Promise.race([ready, done.catch(() => undefined)]);
  return {
    inbox,
    done,
    stop: async () => {
      loop.stop();
      await done.catch(() => undefined);
    },
  };
}
