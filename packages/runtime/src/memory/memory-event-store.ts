/**
 * An event store in process memory, for unit tests, examples and prototypes: the same
 * `EventStore` interface and rules as the PostgreSQL store (validation, expected versions,
 * idempotent retries, all-or-nothing `appendMany`, tombstones, a global order, upcasting on read,
 * crypto-shredding), opened in well under a millisecond. Nothing survives the process.
 *
 * Not the place for: projections with SQL read models, `strata` commands or anything that needs
 * a database; open a PGlite store (`database: { kind: "pglite" }`) for those.
 *
 * @module
 */
import { InvalidArgumentError, StoreUnavailableError, StreamConflictError, StreamDeletedError } from "../errors.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import type { AppendResult } from "../store/append-result.js";
import type { EventStore } from "../store/event-store.js";
import { checkStreamArguments, prepareBatch } from "../store/prepare-events.js";
import type { PreparedBatch } from "../store/prepare-events.js";
import { satisfies } from "../store/expected-version.js";
import { createUpcastOnRead } from "../store/upcast-on-read.js";
import { appendBatches } from "./memory-append.js";
import { createMemoryPersonalData } from "./memory-personal-data.js";
import type { MemoryPersonalDataOption } from "./memory-personal-data.js";
import { readMemoryAll, readMemoryStream } from "./memory-read.js";
import { createMemoryEventStorage } from "./memory-storage.js";
import type { MemoryEventStorage } from "./memory-storage.js";

/** Options of {@link createMemoryEventStore}. */
export interface MemoryEventStoreOptions<R extends EventRegistry<EventShape>> {
  /** The registry of a generated events package. */
  readonly registry: R;
  /** Where the events live (default: a new, empty storage). Share one between stores to read old events with a newer registry. */
  readonly storage?: MemoryEventStorage;
  /**
   * Personal data (`x-pii`). Default: crypto-shredding with a random in-memory KEK and an
   * `InMemoryKeyStore`, so tests see what production stores (ciphertext) and erasure works.
   * `{ kek, keyStore }` to choose either; `"unencrypted"` to store personal fields as given.
   */
  readonly personalData?: MemoryPersonalDataOption;
}

/** An in-memory {@link EventStore} that can also erase a data subject. */
export interface MemoryEventStore<E extends EventShape = EventShape, R extends EventShape = E> extends EventStore<E, R> {
  /** Erasure: deletes the subject's data key; its personal fields read as `ERASED` from then on. Returns whether it had a key. */
  eraseSubject(subjectId: string): Promise<boolean>;
  /** What the store keeps, as stored (personal fields encrypted): for assertions and for sharing with another store. */
  readonly storage: MemoryEventStorage;
}

function checkJson(batch: PreparedBatch): void {
  try {
    JSON.stringify(batch.events.map((event) => [event.data, event.metadata]));
  } catch (error) {
    throw new InvalidArgumentError(`Event data appended to stream "${batch.streamId}" is not JSON-serialisable (${error instanceof Error ? error.name : "error"}).`);
  }
}

/**
 * Opens an in-memory event store. Synchronous and cheap: create one per test.
 *
 * @example
 * ```ts
 * import { createMemoryEventStore } from "@strata/runtime/memory";
 * const store = createMemoryEventStore({ registry: shopRegistry });
 * await store.append("order-1", [{ type: "OrderPlaced", data: { orderId: "o-1", email: "ada@example.com" } }], { expectedVersion: "no_stream" });
 * for await (const event of store.readStream("order-1")) console.log(event.type, event.data);
 * ```
 */
export function createMemoryEventStore<R extends EventRegistry<EventShape>>(options: MemoryEventStoreOptions<R>): MemoryEventStore<RegistryEvent<R>, RegistryReadEvent<R>> {
  const { registry } = options;
  const storage = options.storage ?? createMemoryEventStorage();
  const personal = createMemoryPersonalData(registry, options.personalData);
  const upcast = createUpcastOnRead(registry);
  let closed = false;
  const open = (): MemoryEventStorage => {
    if (closed) throw new StoreUnavailableError("The in-memory event store is closed; create a new one.");
    return storage;
  };
  // Appends run one at a time: encryption awaits between an append's checks and its write.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const appendAll = (batches: readonly PreparedBatch[]): Promise<AppendResult[]> => {
    batches.forEach(checkJson);
    open();
    return exclusive(() => appendBatches(open(), batches, personal));
  };

  const store: MemoryEventStore = {
    storage,
    append: async (streamId, events, appendOptions = {}) => {
      const batch = prepareBatch(registry, streamId, events, appendOptions.expectedVersion ?? "any", appendOptions.metadata);
      return (await appendAll([batch]))[0] as AppendResult;
    },
    appendMany: async (batches) => {
      const seen = new Set<string>();
      const prepared = batches.map((batch) => {
        if (seen.has(batch.streamId)) throw new InvalidArgumentError(`Stream "${batch.streamId}" appears twice in one appendMany; merge its batches.`);
        seen.add(batch.streamId);
        return prepareBatch(registry, batch.streamId, batch.events, batch.expectedVersion ?? "any", batch.metadata);
      });
      return prepared.length === 0 ? [] : appendAll(prepared);
    },
    readStream: (streamId, readOptions = {}) => ({ [Symbol.asyncIterator]: () => readMemoryStream(open(), upcast, streamId, readOptions, personal) }),
    readAll: async (readOptions = {}) => readMemoryAll(open(), upcast, readOptions, personal),
    streamVersion: async (streamId) => {
      checkStreamArguments(streamId, "any");
      const stream = open().streams.get(streamId);
      if (stream?.deleted === true) throw new StreamDeletedError({ streamId });
      return stream?.version;
    },
    listStreams: async (listOptions = {}) => {
      const limit = listOptions.limit ?? 100;
      if (!(Number.isSafeInteger(limit) && limit > 0)) throw new InvalidArgumentError(`listStreams limit must be a positive integer, got ${limit}.`);
      const after = Buffer.from(listOptions.after ?? "");
      const streams = [...open().streams.entries()]
        .filter(([id, stream]) => !stream.deleted && Buffer.compare(Buffer.from(id), after) > 0 && (listOptions.prefix === undefined || id.startsWith(listOptions.prefix)))
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .slice(0, limit)
        .map(([streamId, stream]) => ({ streamId, version: stream.version, createdAt: stream.createdAt }));
      return { streams, next: streams.length === limit ? streams.at(-1)?.streamId : undefined };
    },
    deleteStream: (streamId, deleteOptions = {}) => {
      const expectedVersion = deleteOptions.expectedVersion ?? "any";
      checkStreamArguments(streamId, expectedVersion);
      return exclusive(async () => {
        const stream = open().streams.get(streamId);
        if (stream?.deleted === true) return { streamId, version: stream.version };
        const actualVersion = stream?.version ?? 0;
        if (stream === undefined || !satisfies(expectedVersion, actualVersion)) throw new StreamConflictError({ streamId, expectedVersion, actualVersion });
        stream.deleted = true;
        return { streamId, version: stream.version };
      });
    },
    eraseSubject: async (subjectId) => (personal === undefined ? false : personal.erase(subjectId)),
    close: async () => {
      closed = true;
      await queue;
    },
  };
  return store as unknown as MemoryEventStore<RegistryEvent<R>, RegistryReadEvent<R>>;
}
