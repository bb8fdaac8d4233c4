/**
 * `@strata/rabbitmq`: forward Strata events to RabbitMQ with publisher confirms from the store's
 * checkpoints (the outbox pattern), and consume a queue into a projection exactly once in effect.
 *
 * @example
 * ```ts
 * import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
 * import { consumeRabbitMq, createRabbitMqPublisher } from "@strata/rabbitmq";
 *
 * const publisher = createRabbitMqPublisher({ url: "amqp://guest:guest@127.0.0.1:5672", exchange: "bank" });
 * const toRabbit = defineForwarder(bankingRegistry, { name: "to-rabbit", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination("bank") });
 * const engine = await createProjectionEngine({ database, registry: bankingRegistry, subscriptions: [toRabbit] });
 * await engine.start();
 *
 * const consumer = await consumeRabbitMq({ name: "ledger", queue: "ledger", bindings: [{ exchange: "bank", patterns: ["bank.#"] }], database, registry: bankingRegistry, projection: ledger });
 * ```
 *
 * @packageDocumentation
 */
export { createRabbitMqPublisher } from "./rabbitmq-publisher.js";
export type { RabbitMqPublisherOptions } from "./rabbitmq-publisher.js";
export { consumeRabbitMq } from "./consume-rabbitmq.js";
export type { RabbitMqConsumer, RabbitMqConsumerOptions } from "./consume-rabbitmq.js";
