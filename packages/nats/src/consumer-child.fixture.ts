/**
 * A JetStream consumer in a child process, for the crash test: started with `node --import tsx`,
 * configured by STRATA_CHILD (JSON), killed with SIGKILL by the test. Its projection is slow, so
 * that kills land while batches are applied. Prints `applied <n>` for each batch handled, and
 * every 200 ms `received <n>` (rows committed) and `position <n>` (the stream sequence stored).
 */
import { PGlite } from "@electric-sql/pglite";
import type { DatabaseConfig } from "@strata/runtime";
import { recordingProjection } from "@strata/runtime/testing";
import { producerRegistry } from "./broker-registry.fixture.js";
import { consumeJetStream } from "./consume-jetstream.js";

interface ChildConfig {
  readonly connectionString?: string;
  readonly dataDir?: string;
  readonly server: string;
  readonly stream: string;
  readonly inboxSchema: string;
  readonly readSchema: string;
}

const config = JSON.parse(process.env["STRATA_CHILD"] ?? "{}") as ChildConfig;
const database: DatabaseConfig =
  config.connectionString === undefined ? { kind: "pglite", instance: await PGlite.create(config.dataDir) } : { kind: "postgres", connectionString: config.connectionString, poolSize: 3 };
const recording = recordingProjection(producerRegistry, { name: "recorder", schema: config.readSchema, handles: ["MoneyDeposited"] });
const slow: typeof recording = {
  ...recording,
  handle: async (events, context) => {
    await recording.handle(events, context);
    await new Promise((resolve) => setTimeout(resolve, 15));
    process.stdout.write(`applied ${events.length}\n`);
  },
};
const consumer = await consumeJetStream({ name: "recorder", servers: config.server, stream: config.stream, database, schema: config.inboxSchema, registry: producerRegistry, projection: slow, batchSize: 10 });
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
  void consumer.inbox.position(config.stream).then((position) => process.stdout.write(`position ${position ?? 0n}\n`), () => undefined);
}, 200);
process.once("SIGTERM", () => void consumer.stop().then(() => process.exit(0)));
