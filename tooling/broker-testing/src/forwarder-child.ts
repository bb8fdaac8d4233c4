/**
 * The body of a forwarder in a child process, for the crash tests: started with
 * `node --conditions=@strata/source --import tsx <entry>`, configured by STRATA_CHILD (JSON),
 * killed with SIGKILL by the test. Publishes slowly, so that the kill lands in the middle of a
 * batch. Prints `started`, then `published` after each confirmed publish and `lag <n>` twice a second.
 */
import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
import type { EventPublisher } from "@strata/runtime";
import { producerRegistry } from "./broker-registry.js";
import { childDatabase, readChildConfig } from "./child-database.js";
import type { ChildDatabaseConfig } from "./child-database.js";

/** What every forwarder child is told: its store, the destination prefix and the delay per publish. */
export interface ForwarderChildConfig extends ChildDatabaseConfig {
  readonly schema: string;
  readonly prefix: string;
  readonly delayMs: number;
}

/** Runs the forwarder child `name`, publishing MoneyDeposited events through the publisher `connect` opens. */
export async function runForwarderChild<Config extends ForwarderChildConfig>(name: string, connect: (config: Config) => Promise<EventPublisher>): Promise<void> {
  const config = readChildConfig<Config>();
  const database = await childDatabase(config);
  const inner = await connect(config);
  const publisher: EventPublisher = {
    system: inner.system,
    publish: async (message) => {
      await new Promise((resolve) => setTimeout(resolve, config.delayMs));
      await inner.publish(message);
      process.stdout.write("published\n");
    },
    close: () => inner.close(),
  };
  const forwarder = defineForwarder(producerRegistry, { name, handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(config.prefix), batchSize: 50, maxInFlight: 8 });
  const engine = await createProjectionEngine({ database, schema: config.schema, registry: producerRegistry, subscriptions: [forwarder], leaseMs: 1_000, pollMs: 50 });
  await engine.start();
  process.stdout.write("started\n");
  setInterval(() => {
    void engine.status(name).then(([status]) => process.stdout.write(`lag ${status?.lagEvents ?? -1}\n`), () => undefined);
  }, 500);
  process.once("SIGTERM", () => void engine.close().then(() => process.exit(0)));
}
