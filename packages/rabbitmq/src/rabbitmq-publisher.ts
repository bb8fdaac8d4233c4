/**
 * The RabbitMQ side of a forwarder: messages go to an exchange on a confirm channel, persistent,
 * with the event id as AMQP `message-id` and the event headers as AMQP headers; a publish resolves
 * only on the broker's confirm (basic.ack), which for durable queues comes once the message is
 * written to disk. RabbitMQ has no broker-side deduplication: a republished event reaches the
 * queue again and the consumer's inbox drops it by id.
 *
 * Published with `mandatory`, so a message no queue is bound to comes back (basic.return) before
 * its confirm: by default that is a `PublishRejectedError`, because a confirm alone would move the
 * checkpoint past an event nobody received.
 *
 * @module
 */
import type { ChannelModel, ConfirmChannel } from "amqplib";
import { BrokerUnavailableError, PublishRejectedError } from "@strata/runtime";
import type { EventPublisher, OutgoingMessage } from "@strata/runtime";
import { lazyConfirmChannel } from "./internal/confirm-channel.js";

/** Options of {@link createRabbitMqPublisher}. */
export interface RabbitMqPublisherOptions {
  /** Broker URL when no connection is given (default `amqp://guest:guest@127.0.0.1:5672`). */
  readonly url?: string;
  /** An open connection; not closed by `close()`. A channel is opened on it. */
  readonly connection?: ChannelModel;
  /** The exchange events are published to. */
  readonly exchange: string;
  /** Its type when declared (default `"topic"`: routing keys `<prefix>.<category>.<type>` bind with `*` and `#`). */
  readonly exchangeType?: "topic" | "direct" | "fanout" | "headers";
  /** Declare the exchange (durable) on connect (default `true`). */
  readonly assertExchange?: boolean;
  /**
   * A message no queue receives: `"fail"` (default) rejects the publish (`PublishRejectedError`,
   * the forwarder's failure policy applies); `"drop"` accepts it (for exchanges where some event
   * types have no subscriber yet).
   */
  readonly unroutable?: "fail" | "drop";
  /** How long to wait for a confirm (default 10 000 ms); then `BrokerUnavailableError`. */
  readonly confirmTimeoutMs?: number;
}

const DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";

/**
 * Opens a publisher for `defineForwarder` (it connects on the first publish).
 *
 * @example
 * ```ts
 * const publisher = createRabbitMqPublisher({ url: "amqp://guest:guest@127.0.0.1:5672", exchange: "bank" });
 * const toRabbit = defineForwarder(bankingRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("bank") });
 * ```
 */
export function createRabbitMqPublisher(options: RabbitMqPublisherOptions): EventPublisher {
  const timeoutMs = options.confirmTimeoutMs ?? 10_000;
  const mandatory = (options.unroutable ?? "fail") === "fail";
  const channels = lazyConfirmChannel({
    url: options.url ?? DEFAULT_URL,
    connection: options.connection,
    setup: async (channel: ConfirmChannel) => {
      if (options.assertExchange ?? true) await channel.assertExchange(options.exchange, options.exchangeType ?? "topic", { durable: true });
    },
  });
  const unavailable = (message: OutgoingMessage, reason: string, cause?: unknown) =>
    new BrokerUnavailableError({ system: "rabbitmq", eventId: message.id, destination: `${options.exchange}/${message.destination}`, reason, ...(cause === undefined ? {} : { cause }) });

  return {
    system: "rabbitmq",
    publish: async (message) => {
      let open;
      try {
        open = await channels.get();
      } catch (error) {
        throw unavailable(message, `cannot open a channel (${error instanceof Error ? error.message : String(error)})`, error);
      }
      const { channel, returned } = open;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(unavailable(message, `no confirm within ${timeoutMs} ms`)), timeoutMs);
        try {
          channel.publish(
            options.exchange,
            message.destination,
            Buffer.from(message.body),
            { persistent: true, mandatory, messageId: message.id, contentType: "application/json", timestamp: Math.floor(message.event.recordedAt.getTime() / 1000), headers: { ...message.headers } },
            (error: unknown) => {
              clearTimeout(timer);
              if (error !== null && error !== undefined) reject(unavailable(message, "the broker did not confirm (nack or channel closed)", error));
              else if (returned.delete(message.id)) {
                reject(new PublishRejectedError({ system: "rabbitmq", eventId: message.id, eventType: message.event.type, destination: `${options.exchange}/${message.destination}`, reason: "no queue is bound for this routing key (unroutable)" }));
              } else resolve();
            },
          );
        } catch (error) {
          clearTimeout(timer);
          reject(unavailable(message, "the channel is closed", error));
        }
      });
    },
    close: () => channels.close(),
  };
}
