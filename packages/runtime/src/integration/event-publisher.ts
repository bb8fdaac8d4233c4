/**
 * The one interface a broker adapter implements to forward events: `@strata/nats` and
 * `@strata/rabbitmq` ship one each, and a Kafka producer fits the same shape (see
 * docs/integration.md).
 *
 * @module
 */
import type { OutgoingMessage } from "./event-message.js";

/** Publishes messages to one broker; see {@link defineForwarder}. */
export interface EventPublisher {
  /** The OpenTelemetry `messaging.system` of the broker: `"nats"`, `"rabbitmq"`, `"kafka"`, … */
  readonly system: string;
  /**
   * Publishes one message and resolves only once the broker has confirmed that it stored it
   * (a JetStream publish ack, a RabbitMQ publisher confirm, a Kafka `acks=all` response). Use
   * `message.id` as the broker's deduplication key where it has one. Rejects with
   * `BrokerUnavailableError` when the broker cannot be reached or did not answer (retried without
   * counting against the event), or `PublishRejectedError` when it refused this message.
   */
  publish(message: OutgoingMessage): Promise<void>;
  /** Closes what the publisher opened (not a connection passed in). */
  close(): Promise<void>;
}
