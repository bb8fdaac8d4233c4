/**
 * Opens the whole app on a test backend (PGlite, or the PostgreSQL server at DATABASE_URL) in
 * schemas of its own, dropped on close.
 */
import { randomBytes } from "node:crypto";
import type { StoreBackend } from "@strata/runtime/testing/vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/build-app.js";
import type { AppDatabase } from "../../src/infra/open-database.js";
import { ephemeralKeys } from "../../src/infra/secrets.js";
import type { BankingRuntime } from "../../src/start-banking.js";
import { startBanking } from "../../src/start-banking.js";
import { testAuth } from "./http.js";

export interface TestApp {
  readonly app: FastifyInstance;
  readonly runtime: BankingRuntime;
  readonly database: AppDatabase;
  readonly storeSchema: string;
  close(): Promise<void>;
}

const READ_MODEL_SCHEMAS = ["balances", "transactions", "customers"].flatMap((name) => [name, `${name}__rebuild`]);

/** The backend's shared database as the app's {@link AppDatabase} (closing it is the backend's job). */
export function testDatabase(backend: StoreBackend): AppDatabase {
  return { kind: backend.name, config: backend.database(), readDb: { query: backend.query }, description: backend.name, close: () => Promise.resolve() };
}

/**
 * Opens the app; with crypto-shredding (random keys) unless `personalData` is false, which opens
 * it with the explicit `"unencrypted"` opt-out (personal data in plaintext, no erasure).
 */
export async function openTestApp(backend: StoreBackend, options: { readonly runProjections?: boolean; readonly personalData?: boolean } = {}): Promise<TestApp> {
  const prefix = `bank_${randomBytes(5).toString("hex")}`;
  const storeSchema = backend.freshSchema();
  const database = testDatabase(backend);
  const runtime = await startBanking({ database, storeSchema, readModelPrefix: prefix, runProjections: options.runProjections ?? true, auth: testAuth,
    // A loaded test machine may take longer than the default 5 s; a 202 would make the answers differ by timing.
    transferWaitMs: 60_000,
    personalData: options.personalData === false ? "unencrypted" : ephemeralKeys(),
  });
  const app = await buildApp({ services: runtime.services });
  return {
    app,
    runtime,
    database,
    storeSchema,
    close: async () => {
      await app.close();
      await runtime.close();
      for (const name of READ_MODEL_SCHEMAS) await backend.query(`DROP SCHEMA IF EXISTS "${prefix}_${name}" CASCADE`);
    },
  };
}
