/**
 * `pnpm start`: the banking app on embedded PGlite (`.strata-data/banking`, or in memory with
 * `--memory`), or on PostgreSQL when `DATABASE_URL` is set. Keys come from `STRATA_KEKS` and
 * `STRATA_AUDIT_KEY`; `--dev` (PGlite) or `STRATA_DEV_KEYS=1` asks for development keys. Seeds demo data on the first
 * development start (`--dev`, `STRATA_DEV_KEYS=1` or `--memory`), elsewhere only with `--seed`;
 * stops gracefully on SIGINT/SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createLogger } from "./infra/logger.js";
import { startTelemetry } from "./infra/telemetry.js";
import { developmentAsked, KeysNotConfiguredError, loadKeys } from "./infra/secrets.js";
import { shouldSeed } from "./seed-policy.js";
import { AuthNotConfiguredError, loadAuth } from "./auth/auth-settings.js";
import type { DatabaseTarget } from "./infra/open-database.js";
import { startServer } from "./server.js";

const { values } = parseArgs({
  options: {
    memory: { type: "boolean", default: false },
    "data-dir": { type: "string", default: ".strata-data/banking" },
    host: { type: "string", default: process.env["HOST"] ?? "127.0.0.1" },
    port: { type: "string", default: process.env["PORT"] ?? "3000" },
    /** Seed the demo data on a start that is not a development one (see seed-policy.ts). */
    seed: { type: "boolean", default: false },
    "no-seed": { type: "boolean", default: false },
    /** Development keys written beside the data when STRATA_KEKS is not set (embedded PGlite only; PostgreSQL needs STRATA_DEV_KEYS=1). */
    dev: { type: "boolean", default: false },
    /** Postgres schema of the store; also the prefix of the read-model schemas when given. */
    schema: { type: "string", default: process.env["STRATA_SCHEMA"] ?? "strata" },
  },
});

const log = createLogger();
// Before the store opens: traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
const telemetry = await startTelemetry(process.env);
if (telemetry !== undefined) log.info({ endpoint: telemetry.endpoint }, "exporting OpenTelemetry traces and metrics");
const url = process.env["DATABASE_URL"];
const database: DatabaseTarget =
  url !== undefined && url !== "" ? { kind: "postgres", connectionString: url } : { kind: "pglite", dataDir: values.memory ? undefined : values["data-dir"] };

// Development keys live beside the data directory (never inside PGlite's own directory), and
// only when asked for (--dev, or STRATA_DEV_KEYS=1); otherwise STRATA_KEKS is required.
const devKeyFile = values.memory && database.kind === "pglite" ? undefined : `${values["data-dir"]}.keys.json`;
let personalData: Awaited<ReturnType<typeof loadKeys>>;
try {
  personalData = await loadKeys(process.env, { devFile: devKeyFile, dev: values.dev, postgres: database.kind === "postgres" });
} catch (error) {
  if (!(error instanceof KeysNotConfiguredError)) throw error;
  log.error({ errorCode: error.code }, error.message);
  process.exit(1);
}
if (personalData.source === "development file") log.warn({ file: devKeyFile }, "using development encryption keys stored beside the data; set STRATA_KEKS and STRATA_AUDIT_KEY in production");
// Development users and token secret live beside the data too (see auth/auth-settings.ts).
// Only when asked for, like the keys: a server started without BANKING_JWT_SECRET stops here.
let auth: Awaited<ReturnType<typeof loadAuth>>;
try {
  auth = await loadAuth(process.env, { devFile: devKeyFile === undefined ? undefined : `${values["data-dir"]}.auth.json`, dev: values.dev, postgres: database.kind === "postgres" });
} catch (error) {
  if (!(error instanceof AuthNotConfiguredError)) throw error;
  log.error({ errorCode: error.code }, error.message);
  process.exit(1);
}
if (auth.source === "development file") log.warn({ file: `${values["data-dir"]}.auth.json` }, "using development users and token secret stored beside the data; set BANKING_JWT_SECRET and BANKING_USERS_FILE in production");
const schemas = values.schema === "strata" ? {} : { storeSchema: values.schema, readModelPrefix: values.schema };
// Demo data (customers with known users) only on a development start, unless --seed asks for it.
const development = developmentAsked(process.env, { dev: values.dev, postgres: database.kind === "postgres" }) || (values.memory && database.kind === "pglite");
const seed = shouldSeed({ seed: values.seed, noSeed: values["no-seed"], development });
if (!seed && !values["no-seed"]) log.info("not seeding demo data on a start that is not a development one; pass --seed to seed it");
const server = await startServer({ database, host: values.host, port: Number(values.port), seed, logger: log, personalData, auth, ...schemas });
log.info({ url: server.url, openapi: `${server.url}/openapi.json` }, "banking app listening");

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  server.close().then(
    async () => {
      await telemetry?.shutdown();
      process.exit(0);
    },
    (error: unknown) => {
      log.error({ errorClass: (error as Error).name, errorCode: (error as { code?: unknown }).code }, "shutdown failed");
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
