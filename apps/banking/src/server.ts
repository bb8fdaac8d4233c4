/**
 * Starts the whole app — database, store, projections, demo data, HTTP — and stops it in order.
 * Used by `main.ts` and by the tour's self-hosted mode.
 *
 * @module
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { buildApp } from "./http/build-app.js";
import { aggregateLoggerOf } from "./infra/logger.js";
import { ephemeralKeys } from "./infra/secrets.js";
import type { PersonalDataKeys } from "./infra/secrets.js";
import type { AppDatabase, DatabaseTarget } from "./infra/open-database.js";
import { openDatabase } from "./infra/open-database.js";
import { isSeeded, seedDemo } from "./seed.js";
import type { AuthSettings } from "./auth/auth-settings.js";
import { memoryAuth } from "./auth/auth-settings.js";
import type { BankingRuntime } from "./start-banking.js";
import { startBanking } from "./start-banking.js";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Where to keep the data, or a database already open (it is then not closed by `close()`). */
  readonly database: DatabaseTarget | { readonly kind: "open"; readonly database: AppDatabase };
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Seed the demo data when the store holds no customer (default `true`). */
  readonly seed?: boolean;
  readonly logger?: Logger | undefined;
  readonly storeSchema?: string;
  /** Crypto-shredding keys; default: random keys in memory (data written with them is unreadable after a restart). */
  readonly personalData?: PersonalDataKeys | undefined;
  readonly readModelPrefix?: string;
  /** Tokens and users (default: in memory, generated users). */
  readonly auth?: AuthSettings | undefined;
  /** How long `POST /transfers` waits for the outcome before answering 202 (default 5 000 ms). */
  readonly transferWaitMs?: number | undefined;
}

/** A running server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly runtime: BankingRuntime;
  /** `http://host:port`. */
  readonly url: string;
  /** Stops accepting requests, lets in-flight ones finish, stops the projections, closes the store and the database. */
  close(): Promise<void>;
}

/** Starts the app and listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.logger;
  const given = options.database.kind === "open" ? options.database.database : undefined;
  const database = given ?? (await openDatabase(options.database as DatabaseTarget));
  log?.info({ database: database.description }, "database open");
  let runtime: BankingRuntime | undefined;
  try {
    const storeSchema = options.storeSchema ?? "strata";
    runtime = await startBanking({
      database,
      storeSchema,
      ...(options.readModelPrefix === undefined ? {} : { readModelPrefix: options.readModelPrefix }),
      logger: log === undefined ? undefined : aggregateLoggerOf(log),
      personalData: options.personalData ?? ephemeralKeys(),
      auth: options.auth ?? memoryAuth(),
      ...(options.transferWaitMs === undefined ? {} : { transferWaitMs: options.transferWaitMs }),
    });
    if ((options.seed ?? true) && !(await isSeeded(runtime.bank))) {
      await seedDemo(runtime.bank, database, storeSchema, runtime.services.auth);
      log?.info("demo data seeded");
    }
    const app = await buildApp({ services: runtime.services, logger: log ?? false });
    const address = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 3000 });
    const started = runtime;
    return {
      app,
      runtime: started,
      url: address,
      close: async () => {
        await app.close();
        await started.close();
        if (given === undefined) await database.close();
        log?.info("shut down cleanly");
      },
    };
  } catch (error) {
    await runtime?.close().catch(() => undefined);
    if (given === undefined) await database.close().catch(() => undefined);
    throw error;
  }
}
