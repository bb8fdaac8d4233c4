/**
 * What `strata projections status|retry|skip|rebuild` needs to operate the running app (see
 * `strata.config.ts` and docs/projections.md): the same database, store schema, registry,
 * projections and personal-data key as `pnpm start` uses, from the same environment.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import { PGlite } from "@electric-sql/pglite";
import { createPersonalDataStore, processManagerSubscription } from "@strata/runtime";
import pg from "pg";
import type { DatabaseConfig, KekProvider } from "@strata/runtime";
import { transferProcess } from "./domain/transfer-process.js";
import { loadKeys } from "./infra/secrets.js";
import { balancesProjection } from "./read-models/balances-projection.js";
import { customersProjection } from "./read-models/customers-projection.js";
import { transactionsProjection } from "./read-models/transactions-projection.js";

/** The options of the runtime's projection engine that the CLI loads. */
export interface OperationsConfig {
  readonly database: DatabaseConfig;
  readonly schema: string;
  readonly registry: typeof bankingRegistry;
  readonly projections: readonly unknown[];
  readonly subscriptions: readonly unknown[];
  readonly personalData?: { readonly kek: KekProvider };
}

/**
 * The app's operations config from `env`: `DATABASE_URL` (else PGlite in `STRATA_DATA_DIR`,
 * default `.strata-data/banking` — stop the app first, one process per PGlite directory),
 * `STRATA_SCHEMA` (default `strata`; the read models' prefix is `banking` then, else the schema,
 * as `pnpm start --schema` does), and the app's keys (`STRATA_KEKS`, or the development key file
 * beside the data as `start --dev` writes it — on PostgreSQL with `STRATA_DEV_KEYS=1`), so that
 * handlers run by `rebuild` read personal fields decrypted.
 */
export async function operationsConfig(env: Readonly<Record<string, string | undefined>>): Promise<OperationsConfig> {
  const url = env["DATABASE_URL"];
  const dataDir = env["STRATA_DATA_DIR"] ?? ".strata-data/banking";
  const schema = env["STRATA_SCHEMA"] ?? "strata";
  const prefix = schema === "strata" ? "banking" : schema;
  // As `start --dev` does: the development key file beside the data (on PostgreSQL only with STRATA_DEV_KEYS=1).
  const keys = await loadKeys(env, { devFile: `${dataDir}.keys.json`, dev: true, postgres: url !== undefined && url !== "" });
  // One pool (or PGlite instance) for the engine and the personal-data store, whose sealed
  // columns the customer directory writes; an idle pool lets the CLI exit.
  const database: DatabaseConfig =
    url !== undefined && url !== "" ? { kind: "postgres", pool: new pg.Pool({ connectionString: url, allowExitOnIdle: true }) } : { kind: "pglite", instance: await PGlite.create(dataDir) };
  const personal = await createPersonalDataStore({ registry: bankingRegistry, database, schema, kek: keys.kek, auditKey: keys.auditKey });
  return {
    database,
    schema,
    registry: bankingRegistry,
    projections: [balancesProjection(prefix), transactionsProjection(prefix), customersProjection(prefix, personal.personalColumns)],
    subscriptions: [processManagerSubscription(transferProcess)],
    personalData: { kek: keys.kek },
  };
}
