import { InvalidArgumentError, StoreUnavailableError } from "../errors.js";
import { migrateStorage } from "../migrations/migrate.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import { createStorage } from "../storage/create-storage.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import type { QueryRunner, Storage } from "../storage/storage.js";
import { appendBatch, isEventIdRace } from "./append.js";
import { createPgAppendNotifier } from "./append-notifier.js";
import { eventsChannel } from "../migrations/0002-projections/migration.js";
import type { AppendResult } from "./append-result.js";
import type { AppendBatch, EventStore } from "./event-store.js";
import { prepareBatch } from "./prepare-events.js";
import type { PreparedBatch } from "./prepare-events.js";
import { readAll } from "./read-all.js";
import { readStream } from "./read-stream.js";
import { buildStatements } from "./statements.js";
import { deleteStream, listStreams, streamVersion } from "./streams.js";
import { createUpcastOnRead } from "./upcast-on-read.js";
import { createPostgresKeyStore } from "../crypto/postgres-key-store.js";
import { SubjectKeys } from "../crypto/subject-keys.js";
import { checkEnvelopeFormat } from "../crypto/envelope-format-option.js";
import type { PersonalDataOptions, WritableEnvelopeFormat } from "../crypto/envelope-format-option.js";
import { createStorePersonalData } from "../erasure/store-personal-data.js";
import { openInlineProjections } from "../projections/internal/inline-projections.js";
import type { InlineProjections } from "../projections/internal/inline-projections.js";
import type { ProjectableEvent, Projection } from "../projections/projection.js";
import { instrumentEventStore } from "../telemetry/store-telemetry.js";
import { checkUpkeepInterval, startPartitionUpkeep } from "../partitioning/partition-upkeep.js";

/** Options of {@link createEventStore}. */
export interface CreateEventStoreOptions<R extends EventRegistry<EventShape>> {
  /** The registry of a generated events package: types, validators and upcasters. */
  readonly registry: R;
  /** Where the events live. */
  readonly database: DatabaseConfig;
  /** The Postgres schema holding the store's tables (default `"strata"`). */
  readonly schema?: string;
  /** Bring the schema up to date before returning (default `true`); otherwise run `strata migrate`. */
  readonly migrate?: boolean;
  /**
   * What the store does with the registry's personal-data fields (`x-pii`).
   *
   * - `{ kek, cache? }` — crypto-shredding: each subject's fields are encrypted with a data key
   *   per subject, kept wrapped by `kek` in `<schema>.subject_keys` of the same database, and
   *   decrypted on every read (erased subjects' fields read as `ERASED`). To erase subjects
   *   in-process, use `createPersonalDataStore` instead.
   * - `"unencrypted"` — the explicit opt-out: events are stored as given, personal fields in
   *   plaintext, and `$pii` envelopes already stored are read as stored, without decrypting.
   *   For tests, tools that only read, or data that is not really personal.
   * - absent — allowed only when no version of any event type declares personal data: a
   *   registry that does makes `createEventStore` throw `InvalidArgumentError`
   *   (`INVALID_ARGUMENT`) rather than write those fields in plaintext.
   */
  readonly personalData?: PersonalDataOptions | "unencrypted";
  /**
   * Projections applied inside the append's own transaction, for read models that must be
   * consistent with the events as soon as `append` returns. Their read-model migrations run when
   * the store opens. A handler that throws rolls the append back (`InlineProjectionFailedError`,
   * code `PROJECTION_FAILED`). Appends of types no inline projection handles are unaffected.
   * Do not also run them in a projection engine.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in the engine's options: each projection types its own tables.
  readonly inlineProjections?: readonly Projection<ProjectableEvent<R>, any, any>[];
  /**
   * On an events table partitioned with `partitionEventsTable`: how often the open store creates
   * partitions ahead of the global-position sequence (default 10 000 ms; `false`: never on a
   * timer). Either way an append that finds no partition for its position creates it and runs
   * again, so appends never fail for a missing partition. An unpartitioned store only looks.
   */
  readonly partitionUpkeepMs?: number | false;
}

/** The default Postgres schema of the store's tables. */
export const DEFAULT_SCHEMA = "strata";
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_TRANSACTION_ATTEMPTS = 3;
/** How many event versions with personal data the refusal names before "and N more". */
const NAMED_PII_VERSIONS = 3;

/** Checks a Postgres schema name; throws {@link InvalidArgumentError}. */
export function checkSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidArgumentError(`Schema name "${schema.slice(0, 80)}" must be 1–63 letters, digits or underscores, not starting with a digit.`);
  }
}

/**
 * Checks the `personalData` option against the registry: a registry that declares personal data
 * needs keys or the explicit `"unencrypted"`; throws {@link InvalidArgumentError}. Names event
 * types and versions, never a field value.
 */
function checkPersonalData(registry: EventRegistry, personalData: unknown): void {
  if (personalData === "unencrypted") return;
  if (personalData !== undefined) {
    if (typeof personalData === "object" && personalData !== null && (personalData as { readonly kek?: unknown }).kek !== undefined) {
      checkEnvelopeFormat((personalData as { readonly envelopeFormat?: unknown }).envelopeFormat);
      return;
    }
    throw new InvalidArgumentError('personalData must be { kek } (a KekProvider, for example LocalKekProvider.fromEnv()) or "unencrypted".');
  }
  const declared = Object.values(registry.events).flatMap((spec) =>
    Object.values(spec.versions)
      .filter((version) => Array.isArray(version.pii) && version.pii.length > 0)
      .map((version) => `${spec.type} v${version.version}`),
  );
  if (declared.length === 0) return;
  const more = declared.length > NAMED_PII_VERSIONS ? ` and ${declared.length - NAMED_PII_VERSIONS} more` : "";
  throw new InvalidArgumentError(
    `Registry "${registry.context}" declares personal data (x-pii) in ${declared.slice(0, NAMED_PII_VERSIONS).join(", ")}${more}, ` +
      "but the store was opened without personalData, so those fields would be stored in plaintext. " +
      "Pass personalData: { kek } (for example LocalKekProvider.fromEnv()) or open it with createPersonalDataStore; " +
      'to store them unencrypted on purpose (tests, read-only tools, data that is not really personal), pass personalData: "unencrypted".',
  );
}

/**
 * Opens an event store. A registry that declares personal data (`x-pii`) needs the
 * `personalData` option: keys, or the explicit `"unencrypted"`; without it the store refuses to
 * open (`INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * const store = await createEventStore({ registry: bankingRegistry, database: { kind: "pglite" }, personalData: { kek: LocalKekProvider.fromEnv() } });
 * await store.append("account-1", [{ type: "AccountOpened", data: { owner: "Ada" } }], { expectedVersion: "no_stream" });
 * for await (const event of store.readStream("account-1")) console.log(event.version, event.type);
 * await store.close();
 * ```
 */
export async function createEventStore<R extends EventRegistry<EventShape>>(options: CreateEventStoreOptions<R>): Promise<EventStore<RegistryEvent<R>, RegistryReadEvent<R>>> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  checkPersonalData(options.registry, options.personalData);
  const upkeepMs = checkUpkeepInterval(options.partitionUpkeepMs);
  const storage = createStorage(options.database);
  let inline: InlineProjections | undefined;
  try {
    if (options.migrate ?? true) await migrateStorage(storage, schema);
    const inlineProjections = (options.inlineProjections ?? []) as unknown as readonly Projection[];
    if (inlineProjections.length > 0) inline = await openInlineProjections(storage, inlineProjections);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const pii = options.personalData;
  const keys = pii === undefined || pii === "unencrypted" ? undefined : new SubjectKeys({ store: createPostgresKeyStore({ storage, schema }), keks: pii.kek, ...(pii.cache === undefined ? {} : { cache: pii.cache }) });
  // A KEK whose material differs from the one known under its id is refused now, not at first write.
  await keys?.verifyKeks().catch(async (error: unknown) => {
    await storage.close().catch(() => undefined);
    throw error;
  });
  const envelopeFormat = pii === undefined || pii === "unencrypted" ? undefined : pii.envelopeFormat;
  return openEventStore(storage, options.registry, schema, { keys, inline, envelopeFormat, partitionUpkeepMs: upkeepMs }) as unknown as EventStore<RegistryEvent<R>, RegistryReadEvent<R>>;
}

/**
 * Builds the store on an open storage. Internal: tests use it to reach the storage seam. `keys`
 * turns on crypto-shredding, `envelopeFormat` picks the format of new writes, and
 * `partitionUpkeepMs` the interval of the partition upkeep (off by default here).
 */
export function openEventStore(
  storage: Storage,
  registry: EventRegistry,
  schema: string,
  options: {
    readonly keys?: SubjectKeys | undefined;
    readonly inline?: InlineProjections | undefined;
    readonly envelopeFormat?: WritableEnvelopeFormat | undefined;
    readonly partitionUpkeepMs?: number | false | undefined;
  } = {},
): EventStore {
  const { keys, inline } = options;
  const partitionUpkeepMs = options.partitionUpkeepMs ?? false;
  const statements = buildStatements(schema);
  // A partitioned events table keeps partitions ahead by itself: see partitioning/partition-upkeep.ts.
  const upkeep = startPartitionUpkeep(storage, schema, partitionUpkeepMs);
  const upcast = createUpcastOnRead(registry);
  const personal = keys === undefined ? undefined : createStorePersonalData(registry, keys, schema, options.envelopeFormat);
  // Encrypt after validation, before the insert; data keys are created (and committed) first.
  const seal = async (batch: PreparedBatch): Promise<PreparedBatch> => (personal === undefined ? batch : personal.encryptBatch(open(), batch));
  const unseal = (plain: PreparedBatch, result: AppendResult): AppendResult => (personal === undefined ? result : personal.restorePlaintext(plain, result));
  let closed = false;
  const open = (): Storage => {
    if (closed) throw new StoreUnavailableError("The event store is closed; create a new one.");
    return storage;
  };
  // After each committed append, off its latency path: wakes projection runners (see append-notifier.ts).
  const notifier = createPgAppendNotifier(open, eventsChannel(schema));

  /** `plain` (the batches before encryption) is set when inline projections must run in the transaction. */
  const appendInTransaction = async (batches: readonly PreparedBatch[], plain?: readonly PreparedBatch[]): Promise<AppendResult[]> => {
    // Lock stream rows in one global order (stream id) so two multi-stream appends cannot deadlock.
    const events = batches.reduce((sum, batch) => sum + batch.events.length, 0);
    const order = batches.map((_, index) => index).sort((a, b) => compareIds(batches[a]?.streamId ?? "", batches[b]?.streamId ?? ""));
    for (let attempt = 1; ; attempt += 1) {
      try {
        const work = async (tx: QueryRunner): Promise<AppendResult[]> => {
          const results: AppendResult[] = new Array<AppendResult>(batches.length);
          for (const index of order) results[index] = await appendBatch(tx, statements, batches[index] as PreparedBatch, true);
          return results;
        };
        if (inline !== undefined && plain !== undefined) {
          return await upkeep.healing(events, () => inline.run(open(), work, (stored) => stored.map((result, index) => unseal(plain[index] as PreparedBatch, result))));
        }
        return await upkeep.healing(events, () => open().transaction(work));
      } catch (error) {
        // A concurrent append of the same ids won the race: the retry finds them and replays.
        if (!isEventIdRace(error) || attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
      }
    }
  };

  const appendSealed = (sealed: PreparedBatch): Promise<AppendResult> => upkeep.healing(sealed.events.length, () => appendBatch(open(), statements, sealed, false));

  // Spans, metrics and ambient metadata (trace context, causation): see telemetry/store-telemetry.ts.
  return instrumentEventStore({
    append: async (streamId, events, appendOptions = {}) => {
      const batch = prepareBatch(registry, streamId, events, appendOptions.expectedVersion ?? "any", appendOptions.metadata);
      // An inline projection handles one of these types: append and project in one transaction.
      const projected = inline !== undefined && inline.matches(batch.events.map((event) => event.type));
      const result = projected
        ? ((await appendInTransaction([await seal(batch)], [batch]))[0] as AppendResult)
        : await appendSealed(await seal(batch));
      notifier.notify();
      return unseal(batch, result);
    },
    appendMany: async (batches: readonly AppendBatch[]) => {
      const seen = new Set<string>();
      const prepared = batches.map((batch) => {
        if (seen.has(batch.streamId)) throw new InvalidArgumentError(`Stream "${batch.streamId}" appears twice in one appendMany; merge its batches.`);
        seen.add(batch.streamId);
        return prepareBatch(registry, batch.streamId, batch.events, batch.expectedVersion ?? "any", batch.metadata);
      });
      if (prepared.length === 0) return [];
      const projected = inline?.matches(prepared.flatMap((batch) => batch.events.map((event) => event.type))) === true;
      const results = await appendInTransaction(await Promise.all(prepared.map(seal)), projected ? prepared : undefined);
      notifier.notify();
      return results.map((result, index) => unseal(prepared[index] as PreparedBatch, result));
    },
    readStream: (streamId, readOptions) => ({
      [Symbol.asyncIterator]: () => readStream(open(), statements, upcast, streamId, readOptions, personal?.decryptRows),
    }),
    readAll: async (readOptions) => readAll(open(), statements, upcast, readOptions, personal?.decryptRows),
    streamVersion: async (streamId) => streamVersion(open(), statements, streamId),
    listStreams: async (listOptions = {}) => listStreams(open(), statements, listOptions),
    deleteStream: async (streamId, deleteOptions = {}) => deleteStream(open(), statements, streamId, deleteOptions.expectedVersion ?? "any"),
    close: async () => {
      if (closed) return;
      closed = true;
      await upkeep.stop();
      await notifier.idle();
      await storage.close();
    },
  } as EventStore, schema);
}

/** Byte order of UTF-8, the order of the "C" collation the stream ids use. */
function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
