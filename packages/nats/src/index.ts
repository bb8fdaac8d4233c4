/**
 * `@strata/nats`: forward Strata events to NATS JetStream from the store's checkpoints (the
 * outbox pattern), and consume a JetStream stream into a projection exactly once in effect.
 *
 * @example
 * ```ts
 * import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
 * import { consumeJetStream, createJetStreamPublisher } from "@strata/nats";
 *
 * const publisher = await createJetStreamPublisher({ servers: "127.0.0.1:4222", stream: { name: "BANK", subjects: ["bank.>"] } });
 * const toNats = defineForwarder(bankingRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("bank") });
 * const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [toNats] });
 * await engine.start();
 *
 * const consumer = await consumeJetStream({ name: "ledger", stream: "BANK", database, registry: bankingRegistry, projection: ledger });
 * ```
 *
 * @packageDocumentation
 */
export { createJetStreamPublisher } from "./jetstream-publisher.js";
export type { JetStreamPublisher, JetStreamPublisherOptions } from "./jetstream-publisher.js";
export { ensureJetStreamStream } from "./jetstream-stream.js";
export type { JetStreamStreamConfig } from "./jetstream-stream.js";
export { consumeJetStream } from "./consume-jetstream.js";
export type { JetStreamConsumer, JetStreamConsumerOptions } from "./consume-jetstream.js";
