/** The RabbitMQ consumer child of the crash test (see `runConsumerChild` in @strata/broker-testing/child). */
import { runConsumerChild } from "@strata/broker-testing/child";
import type { ConsumerChildConfig } from "@strata/broker-testing/child";
import { consumeRabbitMq } from "./consume-rabbitmq.js";

interface Config extends ConsumerChildConfig {
  readonly url: string;
  readonly queue: string;
}

await runConsumerChild<Config>(async (config, options) => {
  const consumer = await consumeRabbitMq({ ...options, url: config.url, queue: config.queue, assertQueue: false });
  return { stop: () => consumer.stop() };
});
