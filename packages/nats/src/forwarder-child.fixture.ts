/** The forwarder child of the crash test, publishing to JetStream (see `runForwarderChild` in @strata/broker-testing/child). */
import { runForwarderChild } from "@strata/broker-testing/child";
import type { ForwarderChildConfig } from "@strata/broker-testing/child";
import { createJetStreamPublisher } from "./jetstream-publisher.js";

interface Config extends ForwarderChildConfig {
  readonly server: string;
  readonly stream: string;
}

await runForwarderChild<Config>("to-nats", (config) => createJetStreamPublisher({ servers: config.server, stream: { name: config.stream, subjects: [`${config.prefix}.>`] } }));
