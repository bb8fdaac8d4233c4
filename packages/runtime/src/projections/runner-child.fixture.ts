/**
 * A projection runner in a child process, for the crash tests: started with
 * `node --import tsx runner-child.fixture.ts`, configured by the STRATA_CHILD env variable
 * (JSON), killed with SIGKILL by the test.
 */
import { PGlite } from "@electric-sql/pglite";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { balancesProjection } from "./balances.fixture.js";
import { createProjectionEngine } from "./projection-engine.js";

interface ChildConfig {
  readonly connectionString?: string;
  readonly dataDir?: string;
  readonly schema: string;
  readonly readSchema: string;
  readonly batchSize: number;
  readonly delayMs: number;
  readonly leaseMs: number;
}

const config = JSON.parse(process.env["STRATA_CHILD"] ?? "{}") as ChildConfig;
const database: DatabaseConfig =
  config.connectionString === undefined ? { kind: "pglite", instance: await PGlite.create(config.dataDir) } : { kind: "postgres", connectionString: config.connectionString, poolSize: 3 };
const engine = await createProjectionEngine({
  database,
  schema: config.schema,
  registry: testRegistry,
  projections: [balancesProjection({ name: "balances", schema: config.readSchema, batchSize: config.batchSize, delayMs: config.delayMs })],
  leaseMs: config.leaseMs,
  pollMs: 100,
  onProgress: (progress) => process.stdout.write(`applied ${progress.applied}\n`),
});
await engine.start();
process.stdout.write("started\n");
process.once("SIGTERM", () => void engine.close().then(() => process.exit(0)));
