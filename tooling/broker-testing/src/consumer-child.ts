/**
 * The body of a broker consumer in a child process, for the crash tests: started with
 * `node --conditions=@strata/source --import tsx <entry>`, configured by STRATA_CHILD (JSON),
 * killed with SIGKILL by the test. Its projection is slow, so that kills land while batches are
 * applied (and, where the broker acknowledges, between commit and acknowledgement). Prints
 * `started`, then `applied <n>` for each batch handled, and every 200 ms `received <n>` (rows
 * committed) and, where the consumer reports one, `position <n>` (the broker position stored).
 */
import type { DatabaseConfig } from "@strata/runtime";
import { recordingProjection } from "@strata/runtime/testing";
import { producerRegistry } from "./broker-registry.js";
import { childDatabase, readChildConfig } from "./child-database.js";
import type { ChildDatabaseConfig } from "./child-database.js";

/** What every consumer child is told: its database and the schemas of its inbox and read model. */
export interface ConsumerChildConfig extends ChildDatabaseConfig {
  readonly inboxSchema: string;
  readonly readSchema: string;
}

/** The options every broker's consumer takes, ready to spread into `consumeJetStream`/`consumeRabbitMq`. */
export interface ConsumerChildOptions {
  readonly name: "recorder";
  readonly database: DatabaseConfig;
  readonly schema: string;
  readonly registry: typeof producerRegistry;
  readonly projection: ReturnType<typeof recordingProjection>;
  readonly batchSize: number;
}

/** The started consumer, as the child needs it. */
export interface ChildConsumer {
  readonly stop: () => Promise<void>;
  /** The broker position stored in the inbox, printed as `position <n>` when given. */
  readonly position?: () => Promise<bigint | undefined>;
}

/**
 * Runs the consumer child: reads the configuration, opens the database, starts the consumer
 * through `start` with the slow recording projection, and reports on stdout until killed.
 */
export async function runConsumerChild<Config extends ConsumerChildConfig>(start: (config: Config, options: ConsumerChildOptions) => Promise<ChildConsumer>): Promise<void> {
  const config = readChildConfig<Config>();
  const database = await childDatabase(config);
  const recording = recordingProjection(producerRegistry, { name: "recorder", schema: config.readSchema, handles: ["MoneyDeposited"] });
  const slow: typeof recording = {
    ...recording,
    handle: async (events, context) => {
      await recording.handle(events, context);
      await new Promise((resolve) => setTimeout(resolve, 15));
      process.stdout.write(`applied ${events.length}\n`);
    },
  };
  const consumer = await start(config, { name: "recorder", database, schema: config.inboxSchema, registry: producerRegistry, projection: slow, batchSize: 10 });
  process.stdout.write("started\n");
  const count = async (): Promise<number> => {
    const text = `SELECT count(*)::int AS n FROM "${config.readSchema}".received`;
    if (database.kind === "pglite" && "instance" in database) return (await database.instance.query<{ n: number }>(text)).rows[0]?.n ?? 0;
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: config.connectionString });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(text)).rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  };
  setInterval(() => {
    void count().then((n) => process.stdout.write(`received ${n}\n`), () => undefined);
    if (consumer.position) void consumer.position().then((position) => process.stdout.write(`position ${position ?? 0n}\n`), () => undefined);
  }, 200);
  process.once("SIGTERM", () => void consumer.stop().then(() => process.exit(0)));
}
