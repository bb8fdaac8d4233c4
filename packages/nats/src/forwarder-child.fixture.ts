/**
 * A forwarder in a child process, for the crash test: started with `node --import tsx`,
 * configured by STRATA_CHILD (JSON), killed with SIGKILL by the test. Prints `published` after
 * each confirmed publish and `lag <n>` twice a second.
 */
import { PGlite } from "@electric-sql/pglite";
import { categoryTypeDestination, createProjectionEngine, defineForwarder } from "@strata/runtime";
import type { DatabaseConfig, EventPublisher } from "@strata/runtime";
import { producerRegistry } from "./broker-registry.fixture.js";
import { createJetStreamPublisher } from "./jetstream-publisher.js";

interface ChildConfig {
  readonly connectionString?: string;
  readonly dataDir?: string;
  readonly schema: string;
  readonly server: string;
  readonly stream: string;
  readonly prefix: string;
  readonly delayMs: number;
}

const config = JSON.parse(process.env["STRATA_CHILD"] ?? "{}") as ChildConfig;
const database: DatabaseConfig =
  config.connectionString === undefined ? { kind: "pglite", instance: await PGlite.create(config.dataDir) } : { kind: "postgres", connectionString: config.connectionString, poolSize: 3 };
const inner = await createJetStreamPublisher({ servers: config.server, stream: { name: config.stream, subjects: [`${config.prefix}.>`] } });
// Slow publishes, so that the kill lands in the middle of a batch.
const publisher: EventPublisher = {
  system: inner.system,
  publish: async (message) => {
    await new Promise((resolve) => setTimeout(resolve, config.delayMs));
    await inner.publish(message);
    process.stdout.write("published\n");
  },
  close: () => inner.close(),
};
const forwarder = defineForwarder(producerRegistry, { name: "to-nats", handles: ["MoneyDeposited"], publisher, destination: categoryTypeDestination(config.prefix), batchSize: 50, maxInFlight: 8 });
const engine = await createProjectionEngine({ database, schema: config.schema, registry: producerRegistry, subscriptions: [forwarder], leaseMs: 1_000, pollMs: 50 });
await engine.start();
process.stdout.write("started\n");
setInterval(() => {
  void engine.status("to-nats").then(([status]) => process.stdout.write(`lag ${status?.lagEvents ?? -1}\n`), () => undefined);
}, 500);
process.once("SIGTERM", () => void engine.close().then(() => process.exit(0)));
