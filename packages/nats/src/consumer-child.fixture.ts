/** The JetStream consumer child of the crash test (see `runConsumerChild` in @strata/broker-testing/child). */
import { runConsumerChild } from "@strata/broker-testing/child";
import type { ConsumerChildConfig } from "@strata/broker-testing/child";
import { consumeJetStream } from "./consume-jetstream.js";

interface Config extends ConsumerChildConfig {
  readonly server: string;
  readonly stream: string;
}

await runConsumerChild<Config>(async (config, options) => {
  const consumer = await consumeJetStream({ ...options, servers: config.server, stream: config.stream });
  return { stop: () => consumer.stop(), position: () => consumer.inbox.position(config.stream) };
});
