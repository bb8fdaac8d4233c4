/** RabbitMQ for the bench: a fresh durable topic exchange and queue on the shared broker. */
import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import { consumeRabbitMq, createRabbitMqPublisher } from "@strata/rabbitmq";
import { categoryTypeDestination } from "@strata/runtime";
import { benchRegistry } from "./bench-registry.js";
import type { BrokerUnderTest } from "./broker-under-test.js";

/** Sets up a fresh exchange and queue on `url`. */
export async function rabbitMqBroker(url: string): Promise<BrokerUnderTest> {
  const id = randomBytes(4).toString("hex");
  const exchange = `strata-bench-${id}`;
  const queue = `strata-bench-${id}`;
  const model = await connect(url);
  const admin = await model.createChannel();
  await admin.assertExchange(exchange, "topic", { durable: true });
  await admin.assertQueue(queue, { durable: true, arguments: { "x-single-active-consumer": true } });
  await admin.bindQueue(queue, exchange, "#");
  const version = String(model.connection.serverProperties.version ?? "?");
  return {
    name: `RabbitMQ ${version}`,
    destination: categoryTypeDestination("bench"),
    publisher: () => Promise.resolve(createRabbitMqPublisher({ url, exchange })),
    rawPublish: async (messages, window) => {
      // The raw client at its best: one confirm channel, `window` publishes unconfirmed at a time.
      const channel = await model.createConfirmChannel();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < messages.length) {
          const message = messages[next++];
          if (message === undefined) return;
          await new Promise<void>((resolve, reject) => {
            channel.publish(exchange, message.destination, Buffer.from(message.body), { persistent: true, messageId: message.id, contentType: "application/json", headers: { ...message.headers } }, (error: unknown) =>
              error === null || error === undefined ? resolve() : reject(new Error("nack")),
            );
          });
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
      await channel.close();
    },
    consume: (options) => consumeRabbitMq({ ...options, url, queue, assertQueue: false, registry: benchRegistry, batchSize: 500 }),
    purge: async () => {
      await admin.purgeQueue(queue);
    },
    count: async () => (await admin.checkQueue(queue)).messageCount,
    teardown: async () => {
      await admin.deleteQueue(queue);
      await admin.deleteExchange(exchange);
      await model.close();
    },
  };
}
