/**
 * One handle on an event store with crypto-shredding and everything erasure needs, all on one
 * database connection (PGlite's single connection is shared, not opened twice).
 *
 * @module
 */
import { checkEnvelopeFormat } from "../crypto/envelope-format-option.js";
import type { WritableEnvelopeFormat } from "../crypto/envelope-format-option.js";
import type { KekProvider } from "../crypto/kek-provider.js";
import type { KekRotationOptions, KekRotationReport } from "../crypto/kek-rotation.js";
import { createPostgresKeyStore } from "../crypto/postgres-key-store.js";
import { SubjectKeys } from "../crypto/subject-keys.js";
import type { DekCacheOptions } from "../crypto/subject-keys.js";
import { InvalidArgumentError } from "../errors.js";
import { migrateStorage } from "../migrations/migrate.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import { createPostgresSnapshotStore } from "../snapshots/postgres-snapshot-store.js";
import type { PostgresSnapshotStore } from "../snapshots/postgres-snapshot-store.js";
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { checkSchemaName, DEFAULT_SCHEMA, openEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { checkAuditKey, createPostgresErasureAudit } from "./erasure-audit.js";
import type { ErasureAudit } from "./erasure-audit.js";
import { createErasureService } from "./erasure-service.js";
import type { ErasureRequest, ErasureResult, ErasureService, ErasureWaitOptions } from "./erasure-service.js";
import { projectionPlaces } from "./erasure-places.js";
import type { ErasureHandler, ErasurePlace } from "./erasure-places.js";
import { exportSubject } from "./export-subject.js";
import { createPersonalColumns, transactionAwareRunner } from "./personal-columns.js";
import type { PersonalColumns } from "./personal-columns.js";
import type { SubjectExport } from "./export-subject.js";
import { checkUpkeepInterval } from "../partitioning/partition-upkeep.js";

/** Options of {@link createPersonalDataStore}. */
export interface CreatePersonalDataStoreOptions<R extends EventRegistry<EventShape>> {
  readonly registry: R;
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string | undefined;
  /** Bring the schema up to date first (default `true`). */
  readonly migrate?: boolean | undefined;
  /** Who wraps the data keys: `LocalKekProvider.fromEnv()`, or a KMS. */
  readonly kek: KekProvider;
  readonly cache?: DekCacheOptions | undefined;
  /** The envelope format of new writes (default 4); see `PersonalDataOptions.envelopeFormat`. */
  readonly envelopeFormat?: WritableEnvelopeFormat | undefined;
  /** Secret (≥ 32 random bytes) of the erasure audit's keyed hash. Needed only by `erase`. */
  readonly auditKey?: Uint8Array | undefined;
  /**
   * The application's projections and subscriptions (their `name`, `kind` and `handles`): an
   * erasure waits for those that handle `$strata.SubjectErased`. Omitted, it waits for every
   * projection and subscription in the store's bookkeeping.
   */
  readonly erasureHandlers?: readonly ErasureHandler[] | undefined;
  /** As `createEventStore`'s: how often a partitioned events table gets partitions ahead (default 10 000 ms; `false`: appends only heal). */
  readonly partitionUpkeepMs?: number | false | undefined;
}

/** An event store with crypto-shredding, and its erasure, export and key-rotation operations. */
export interface PersonalDataStore<E extends EventShape = EventShape, R extends EventShape = E> {
  /** The event store: personal fields encrypted on append, decrypted (or `ERASED`) on every read. */
  readonly events: EventStore<E, R>;
  /** The data keys; share this instance so an erasure drops the key from this process's cache at once. */
  readonly keys: SubjectKeys;
  /** Snapshots on the same database; erasure deletes the subject's. Pass it to aggregates. */
  readonly snapshots: PostgresSnapshotStore;
  readonly audit: ErasureAudit;
  /** See `ErasureService.erase`. @throws `InvalidArgumentError` when no `auditKey` was given. */
  erase(subjectId: string, request: ErasureRequest): Promise<ErasureResult>;
  /** See `ErasureService.status`: the places of the subject's latest erasure, checked now. */
  erasureStatus(subjectId: string): Promise<ErasureResult | undefined>;
  /** See `ErasureService.waitFor`: waits until the erasure is complete or the timeout passed. */
  waitForErasure(subjectId: string, options?: ErasureWaitOptions): Promise<ErasureResult | undefined>;
  /** See `ErasureService.completePending`: run it periodically so pending erasures complete by themselves. */
  completePendingErasures(): Promise<string[]>;
  /** Every personal field of the subject, decrypted (GDPR Art. 15). */
  exportSubject(subjectId: string): Promise<SubjectExport>;
  /**
   * Seals personal read-model columns with each subject's key (see `personal-columns.ts`): a
   * projection stores `await columns.seal(db, subjectId, value, place)`, queries `open` it.
   */
  readonly personalColumns: PersonalColumns;
  /** Re-wraps every data key with the current (or given) KEK; no event is read or written. */
  rotateKek(options?: KekRotationOptions): Promise<KekRotationReport>;
  close(): Promise<void>;
}

/**
 * Opens an event store with crypto-shredding on one database connection.
 *
 * @example
 * ```ts
 * const pd = await createPersonalDataStore({ registry: bankingRegistry, database: { kind: "pglite" }, kek: LocalKekProvider.fromEnv(), auditKey });
 * await pd.events.append("customer-1", [new CustomerRegistered({ customerId, name: "Ada", email: "ada@example.org", address })]);
 * await pd.erase(customerId, { reason: "GDPR Art. 17, ticket 812", requestedBy: "dpo" }); // name, email, address now read as ERASED
 * ```
 */
export async function createPersonalDataStore<R extends EventRegistry<EventShape>>(options: CreatePersonalDataStoreOptions<R>): Promise<PersonalDataStore<RegistryEvent<R>, RegistryReadEvent<R>>> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  if (options.auditKey !== undefined) checkAuditKey(options.auditKey);
  checkEnvelopeFormat(options.envelopeFormat);
  const upkeepMs = checkUpkeepInterval(options.partitionUpkeepMs);
  const storage = createStorage(options.database);
  const snapshots = createPostgresSnapshotStore({ storage, schema });
  try {
    if (options.migrate ?? true) await migrateStorage(storage, schema);
    await snapshots.ensureSchema();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  // The key store reads through a projection's transaction while `personalColumns.seal` runs in it.
  const keys = new SubjectKeys({ store: createPostgresKeyStore({ storage: transactionAwareRunner(storage), schema }), keks: options.kek, ...(options.cache === undefined ? {} : { cache: options.cache }) });
  try {
    await keys.verifyKeks();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const events = openEventStore(storage, options.registry, schema, { keys, envelopeFormat: options.envelopeFormat, partitionUpkeepMs: upkeepMs });
  const audit = createPostgresErasureAudit({ storage, schema });
  const { auditKey } = options;
  const live = {
    projections: (checkpoint: string) => projectionPlaces(storage, schema, checkpoint, options.erasureHandlers),
    keyTable: async (horizon: string): Promise<ErasurePlace> => {
      const result = await keys.compactDeletedKeys({ horizon }).catch((error: unknown) => ({
        complete: false,
        detail: `compaction failed (${error instanceof Error ? error.name : "error"}); it runs again`,
      }));
      return result.complete ? { place: "key-table", status: "done", detail: "compacted (VACUUM FULL)" } : { place: "key-table", status: "pending", detail: result.detail ?? "not compacted yet" };
    },
  };
  const erasure = auditKey === undefined ? undefined : createErasureService({ store: events, keys, audit, auditKey, snapshots, live });
  const needErasure = (): ErasureService => {
    if (erasure === undefined) throw new InvalidArgumentError("Erasure needs the audit key: pass auditKey (for example from STRATA_ERASURE_AUDIT_KEY).");
    return erasure;
  };
  return {
    events: events as unknown as EventStore<RegistryEvent<R>, RegistryReadEvent<R>>,
    keys,
    snapshots,
    audit,
    erase: async (subjectId, request) => needErasure().erase(subjectId, request),
    erasureStatus: async (subjectId) => needErasure().status(subjectId),
    waitForErasure: async (subjectId, wait) => needErasure().waitFor(subjectId, wait),
    completePendingErasures: async () => needErasure().completePending(),
    exportSubject: (subjectId) => exportSubject({ storage, schema, keys, subjectId }),
    personalColumns: createPersonalColumns(keys),
    rotateKek: (rotation) => keys.rotateKek(rotation),
    close: () => events.close(),
  };
}
