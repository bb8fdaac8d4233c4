/**
 * The composition root: the event store, the command handlers, the read models and (when the
 * runtime provides it) erasure, on one database.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import { createEventStore, createPersonalDataStore } from "@strata/runtime";
import type { AggregateLogger, ErasureResult, PersonalDataStore, SnapshotStore } from "@strata/runtime";
import type { BankingEvent, BankingReadEvent } from "@strata/banking-events";
import type { Bank, BankingStore } from "./domain/bank.js";
import { createBank } from "./domain/bank.js";
import type { AppDatabase } from "./infra/open-database.js";
import type { PersonalDataKeys } from "./infra/secrets.js";
import { createReadModels } from "./read-models/read-models.js";
import { customersProjection } from "./read-models/customers-projection.js";
import { plainColumns } from "./read-models/directory-columns.js";
import type { BankingServices, ErasureOutcome, SubjectErasure } from "./services.js";

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
  /**
   * Crypto-shredding keys: personal fields are encrypted per customer and erasure deletes the
   * customer's key. `"unencrypted"` is the explicit opt-out (the runtime's): personal data is
   * stored in plaintext and erasure answers 501 — for tests of that mode only. Required, so that
   * no caller writes the banking registry's `x-pii` fields in plaintext by forgetting the keys.
   */
  readonly personalData: PersonalDataKeys | "unencrypted";
  /** Where the aggregate layer and the projections log (ids and codes only). */
  readonly logger?: AggregateLogger & { error(message: string, fields: Readonly<Record<string, unknown>>): void } | undefined;
}

/** A running bank: its services, and how to stop it. */
export interface BankingRuntime {
  readonly store: BankingStore;
  readonly bank: Bank;
  readonly services: BankingServices;
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
  const services: BankingServices = { bank, readModels, erasure };
  return {
    store,
    bank,
    services,
    close: async () => {
      if (sweep !== undefined) clearInterval(sweep);
      await readModels.close();
      await bank.accounts.flushSnapshots();
      if (personal === undefined) await store.close();
      else await personal.close();
    },
  };
}
