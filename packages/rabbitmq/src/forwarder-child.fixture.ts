/** The forwarder child of the crash test, publishing to RabbitMQ (see `runForwarderChild` in @strata/broker-testing/child). */
import { runForwarderChild } from "@strata/broker-testing/child";
import type { ForwarderChildConfig } from "@strata/broker-testing/child";
import { createRabbitMqPublisher } from "./rabbitmq-publisher.js";

interface Config extends ForwarderChildConfig {
  readonly url: string;
  readonly exchange: string;
}

await runForwarderChild<Config>("to-rabbit", (config) => Promise.resolve(createRabbitMqPublisher({ url: config.url, exchange: config.exchange })));
