/** What the bench needs of a broker: its publisher and consumer, a raw-client baseline, and cleanup. */
import type { DatabaseConfig, DestinationMapping, EventPublisher, InboxHandler, OutgoingMessage } from "@strata/runtime";
import type { Deposited } from "./bench-registry.js";

/** A running consumer. */
export interface RunningConsumer {
  stop(): Promise<void>;
}

/** One broker, set up for one bench run. */
export interface BrokerUnderTest {
  readonly name: string;
  readonly destination: DestinationMapping;
  /** A publisher for the forwarder. */
  publisher(): Promise<EventPublisher>;
  /** Publishes `messages` with the raw client, `window` unconfirmed at most, waiting for every confirm. */
  rawPublish(messages: readonly OutgoingMessage[], window: number): Promise<void>;
  /** Starts consuming everything published so far and later into `handler`, through an inbox in `database`. */
  consume(options: { readonly name: string; readonly database: DatabaseConfig; readonly schema: string; readonly handler: InboxHandler<Deposited, "Deposited"> }): Promise<RunningConsumer>;
  /** Empties what the raw baseline left (RabbitMQ's queue; NATS's baseline has a stream of its own). */
  purge?(): Promise<void>;
  /** Messages waiting in the stream or queue. */
  count(): Promise<number>;
  /** Deletes what setup created and closes connections. */
  teardown(): Promise<void>;
}

/** Runs `work` over `items` with at most `window` in flight. */
export async function pooled<T>(items: readonly T[], window: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, worker));
}
