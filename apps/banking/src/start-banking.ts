/**
 * The composition root: the event store, the command handlers, the read models and (when the
 * runtime provides it) erasure, on one database.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { bankingRegistry } from "@strata/banking-events";
import { createEventStore, createPersonalDataStore, createProcessManagerRunner } from "@strata/runtime";
import type { AggregateLogger, ErasureResult, PersonalDataStore, ProcessManagerRunner, SnapshotStore } from "@strata/runtime";
import type { BankingEvent, BankingReadEvent } from "@strata/banking-events";
import type { AuthSettings } from "./auth/auth-settings.js";
import { memoryAuth } from "./auth/auth-settings.js";
import type { Bank, BankingStore } from "./domain/bank.js";
import { createBank } from "./domain/bank.js";
import { transferDispatch } from "./domain/transfer-dispatch.js";
import { transferProcess } from "./domain/transfer-process.js";
import type { AppDatabase } from "./infra/open-database.js";
import type { PersonalDataKeys } from "./infra/secrets.js";
import { createReadModels } from "./read-models/read-models.js";
import { customersProjection } from "./read-models/customers-projection.js";
import { plainColumns } from "./read-models/directory-columns.js";
import type { BankingServices, ErasureOutcome, SubjectErasure } from "./services.js";
import { fingerprintKeys } from "./http/request-fingerprint.js";

/** How often pending erasures are checked again. */
const ERASURE_SWEEP_MS = 1_000;

function outcomeOf(result: ErasureResult): ErasureOutcome {
  return { outcome: result.status, pending: result.places.filter((place) => place.status !== "done") };
}

/** Options of {@link startBanking}. */
export interface StartBankingOptions {
  readonly database: AppDatabase;
  /** Postgres schema of the store's tables (default `"strata"`). */
  readonly storeSchema?: string;
  /** Prefix of the read models' schemas (default `"banking"`). */
  readonly readModelPrefix?: string;
  /** Start the projection runners (default `true`); tests may drive them with `catchUp()`. */
  readonly runProjections?: boolean;
  /** Start the transfer process (default `true`); without it, transfers stay `initiated` until one runs. */
  readonly runProcesses?: boolean;
  /** How long `POST /transfers` waits for the outcome before answering 202 (default 5 000 ms). */
  readonly transferWaitMs?: number;
  /**
   * Lease of the transfer process's subscription (default 3 000 ms): after a crash, the restarted
   * app (or a standby) takes over once it lapses, so a transfer cut short resumes within seconds.
   */
  readonly processLeaseMs?: number;
  /**
   * Crypto-shredding keys: personal fields are encrypted per customer and erasure deletes the
   * customer's key. `"unencrypted"` is the explicit opt-out (the runtime's): personal data is
   * stored in plaintext and erasure answers 501 — for tests of that mode only. Required, so that
   * no caller writes the banking registry's `x-pii` fields in plaintext by forgetting the keys.
   */
  readonly personalData: PersonalDataKeys | "unencrypted";
  /** Tokens and users (default: in memory, with generated users; see `auth/auth-settings.ts`). */
  readonly auth?: AuthSettings;
  /** Where the aggregate layer and the projections log (ids and codes only). */
  readonly logger?: AggregateLogger & { error(message: string, fields: Readonly<Record<string, unknown>>): void } | undefined;
}

/** A running bank: its services, and how to stop it. */
export interface BankingRuntime {
  readonly store: BankingStore;
  readonly bank: Bank;
  readonly services: BankingServices;
  /** The transfer process's runner. */
  readonly transfers: ProcessManagerRunner;
  /** Stops the projections (each batch's checkpoint is committed with it) and closes the store. The database stays open. */
  close(): Promise<void>;
}

/** Opens everything on `database`. */
export async function startBanking(options: StartBankingOptions): Promise<BankingRuntime> {
  const storeSchema = options.storeSchema ?? "strata";
  const keys = options.personalData === "unencrypted" ? undefined : options.personalData;
  let personal: PersonalDataStore<BankingEvent, BankingReadEvent> | undefined;
  let store: BankingStore;
  let snapshots: SnapshotStore | undefined;
  if (options.personalData === "unencrypted") {
    store = await createEventStore({ registry: bankingRegistry, database: options.database.config, schema: storeSchema, personalData: "unencrypted" });
  } else {
    // Keys are required; an untyped caller that passes none fails here instead of writing plaintext.
    if (keys === undefined) throw new TypeError('startBanking needs personalData: crypto-shredding keys, or "unencrypted" to opt out.');
    // The erasure waits for the projections that handle $strata.SubjectErased (their names only).
    const erasureHandlers = [customersProjection(options.readModelPrefix ?? "banking", plainColumns)];
    personal = await createPersonalDataStore({ registry: bankingRegistry, database: options.database.config, schema: storeSchema, kek: keys.kek, auditKey: keys.auditKey, erasureHandlers });
    store = personal.events;
    snapshots = personal.snapshots;
  }
  const bank = createBank(store, options.logger, snapshots);
  const logger = options.logger;
  const readModels = await createReadModels({
    database: options.database.config,
    storeSchema,
    readDb: options.database.readDb,
    ...(keys === undefined ? {} : { personalData: { kek: keys.kek } }),
    columns: personal === undefined ? plainColumns : personal.personalColumns,
    ...(options.readModelPrefix === undefined ? {} : { prefix: options.readModelPrefix }),
    ...(logger === undefined
      ? {}
      : { onError: (error: unknown, info: { readonly name: string; readonly attempt: number }) => logger.error("projection failed", { projection: info.name, attempt: info.attempt, errorClass: (error as Error).name }) }),
  });
  if (options.runProjections ?? true) await readModels.start();
  const transfers = await createProcessManagerRunner({
    database: options.database.config,
    schema: storeSchema,
    registry: bankingRegistry,
    store,
    manager: transferProcess,
    dispatch: transferDispatch(bank),
    ...(keys === undefined ? {} : { personalData: { kek: keys.kek } }),
    leaseMs: options.processLeaseMs ?? 3_000,
    pollMs: 500,
    backoff: { initialMs: 50, maxMs: 2_000 },
    maxAttempts: 20,
    ...(logger === undefined
      ? {}
      : { onError: (error: unknown, info: { readonly name: string; readonly attempt: number }) => logger.error("process step failed", { process: info.name, attempt: info.attempt, errorClass: (error as Error).name }) }),
  });
  if (options.runProcesses ?? true) await transfers.start();
  // Pending erasures complete by themselves once their projections caught up (or recovered).
  const sweep = personal === undefined || !(options.runProjections ?? true) ? undefined : setInterval(() => void personal.completePendingErasures().catch(() => undefined), ERASURE_SWEEP_MS);
  sweep?.unref();
  const erasure: SubjectErasure | undefined =
    personal === undefined
      ? undefined
      : {
          erase: async (customerId) => {
            // Reason and requester are stored in the audit trail as given: no personal data in them.
            return outcomeOf(await personal.erase(customerId, { reason: "POST /customers/:id/erasure", requestedBy: "banking-app" }));
          },
          status: async (customerId) => {
            const result = await personal.erasureStatus(customerId);
            return result === undefined ? undefined : outcomeOf(result);
          },
          exportSubject: (customerId) => personal.exportSubject(customerId),
        };
  const services: BankingServices = { bank, readModels, erasure, transferWaitMs: options.transferWaitMs ?? 5_000,
    // A subkey of the operator's audit key (HKDF, its own label); the unencrypted test mode gets a random one.
    fingerprintKeys: keys === undefined ? { current: randomBytes(32) } : fingerprintKeys(keys.auditKey),
    auth: options.auth ?? memoryAuth() };
  return {
    store,
    bank,
    services,
    transfers,
    close: async () => {
      await transfers.close();
      if (sweep !== undefined) clearInterval(sweep);
      await readModels.close();
      await bank.accounts.flushSnapshots();
      if (personal === undefined) await store.close();
      else await personal.close();
    },
  };
}
