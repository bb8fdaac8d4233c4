/**
 * An event store that appends on the primary and reads from PostgreSQL streaming replicas, with
 * read-your-writes by WAL position and a fallback to the primary.
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import pg from "pg";
import { InvalidArgumentError, isStrataError, StoreUnavailableError } from "../errors.js";
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent } from "../registry.js";
import { createPostgresKeyStore } from "../crypto/postgres-key-store.js";
import { SubjectKeys } from "../crypto/subject-keys.js";
import { createStorePersonalData } from "../erasure/store-personal-data.js";
import { wrapped } from "../storage/driver-errors.js";
import { createPostgresStorage } from "../storage/postgres-storage.js";
import type { PostgresConnection } from "../storage/postgres-storage.js";
import type { QueryRunner } from "../storage/storage.js";
import { createEventStore, DEFAULT_SCHEMA } from "../store/create-event-store.js";
import type { CreateEventStoreOptions } from "../store/create-event-store.js";
import type { EventStore, ReadStreamOptions } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { readAll } from "../store/read-all.js";
import { readStream } from "../store/read-stream.js";
import { listStreams, streamVersion } from "../store/streams.js";
import { buildStatements } from "../store/statements.js";
import { createUpcastOnRead } from "../store/upcast-on-read.js";
import { recordRouting } from "../telemetry/replica-telemetry.js";
import type { ReadRouting } from "../telemetry/replica-telemetry.js";
import { storeSpanAttributes, tracedIteration } from "../telemetry/store-telemetry.js";
import { inSpan } from "../telemetry/strata-tracer.js";
import { TELEMETRY_ATTRIBUTES as A } from "../telemetry/telemetry-attributes.js";
import { isReplicaFailure, openReplicas, waitForReplay } from "./replica-set.js";
import type { Replica, ReplicaConnection } from "./replica-set.js";
import { buildStandbyStatements } from "./standby-statements.js";
import { hasReached, parseWalPosition } from "./wal-position.js";

/** Options of {@link createReplicatedEventStore}: those of `createEventStore`, with a primary and its replicas instead of `database`. */
export interface ReplicatedEventStoreOptions<R extends EventRegistry<EventShape>> extends Omit<CreateEventStoreOptions<R>, "database"> {
  /** The primary: every append, deletion and migration goes here, and every read that a replica cannot serve. */
  readonly primary: PostgresConnection;
  /** Hot standbys streaming from the primary; reads go to the first healthy one, round robin. */
  readonly replicas: readonly ReplicaConnection[];
  /**
   * `"read-your-writes"` (default): a read waits until the replica has replayed every append,
   * deletion or conflict this store saw before the read began (and any position passed to
   * `observe`), or reads from the primary after `replayTimeoutMs`. `"eventual"`: reads whatever the
   * replica has replayed (positions passed to `observe` still hold).
   */
  readonly consistency?: "read-your-writes" | "eventual";
  /** How long a read waits for a replica to catch up before it reads from the primary (default 500 ms). */
  readonly replayTimeoutMs?: number;
  /** How often the replay position is polled while waiting (default 5 ms). */
  readonly replayPollMs?: number;
  /** How long a replica that failed is left out before it is tried again (default 5 000 ms). */
  readonly downRetryMs?: number;
}

/** Where reads went: counts since the store opened. */
export interface ReplicaRouting {
  /** Reads served by a replica. */
  readonly replicaReads: number;
  /** Reads served by the primary because no replica had replayed far enough in time. */
  readonly lagFallbacks: number;
  /** Reads served by the primary because the replica failed (down, unreachable, recovery conflict) or none was healthy. */
  readonly failureFallbacks: number;
}

/** An event store over a primary and replicas; see {@link createReplicatedEventStore}. */
export interface ReplicatedEventStore<E extends EventShape = EventShape, R extends EventShape = E> extends EventStore<E, R> {
  /** The primary's WAL position now: covers every append committed so far. Hand it to another process's {@link observe}. */
  writePosition(): Promise<string>;
  /** Later reads (read-your-writes) wait for replicas to replay at least `position` (from {@link writePosition}). */
  observe(position: string): void;
  /** Where reads went so far. */
  routing(): ReplicaRouting;
}

/**
 * Opens an event store that appends on the primary and serves `readStream`, `readAll`,
 * `streamVersion` and `listStreams` from streaming replicas. With `"read-your-writes"` (the
 * default) a read first waits until the replica has replayed the primary's WAL position taken
 * after this store's last write (`pg_last_wal_replay_lsn() >= pg_current_wal_insert_lsn()` of the
 * primary), for at most `replayTimeoutMs`, then reads from the primary instead. A replica that
 * is down or fails a read is skipped for `downRetryMs`; its reads go to the primary (a stream read
 * cut off mid-way continues there after the last event it yielded). `readAll` on a replica uses a
 * horizon that is correct on a hot standby (see `standby-statements.ts`): no event is skipped or
 * reordered, and checkpoints are interchangeable between primary and replicas.
 *
 * @example
 * ```ts
 * const store = await createReplicatedEventStore({
 *   registry, personalData: "unencrypted",
 *   primary: { connectionString: "postgres://app@db-primary/app" },
 *   replicas: [{ connectionString: "postgres://app@db-replica-1/app" }],
 * });
 * await store.append("account-1", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
 * for await (const event of store.readStream("account-1")) console.log(event.type); // sees the append
 * ```
 */
export async function createReplicatedEventStore<R extends EventRegistry<EventShape>>(
  options: ReplicatedEventStoreOptions<R>,
): Promise<ReplicatedEventStore<RegistryEvent<R>, RegistryReadEvent<R>>> {
  if (options.replicas.length === 0) throw new InvalidArgumentError("createReplicatedEventStore needs at least one replica; use createEventStore without replicas.");
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const ownsPrimary = !("pool" in options.primary);
  const primaryPool = "pool" in options.primary ? options.primary.pool : new pg.Pool({ connectionString: options.primary.connectionString, max: options.primary.poolSize ?? 10 });
  if (ownsPrimary) {
    // As for replicas (replica-set.ts): a dropped connection fails its query, not the process.
    primaryPool.on("error", () => undefined);
    primaryPool.on("connect", (client) => client.on("error", () => undefined));
  }
  const { primary: _primary, replicas: _replicas, consistency: _consistency, replayTimeoutMs: _timeout, replayPollMs: _poll, downRetryMs: _down, ...storeOptions } = options;
  let primary: EventStore;
  try {
    primary = (await createEventStore({ ...storeOptions, database: { kind: "postgres", pool: primaryPool } } as CreateEventStoreOptions<R>)) as unknown as EventStore;
  } catch (error) {
    if (ownsPrimary) await primaryPool.end().catch(() => undefined);
    throw error;
  }
  const readYourWrites = (options.consistency ?? "read-your-writes") === "read-your-writes";
  const timeoutMs = options.replayTimeoutMs ?? 500;
  const pollMs = options.replayPollMs ?? 5;
  const downRetryMs = options.downRetryMs ?? 5_000;
  const { replicas, close: closeReplicas } = openReplicas(options.replicas);
  const statements = buildStandbyStatements(schema);
  const upcast = createUpcastOnRead(options.registry);
  const decryptorOn = (storage: QueryRunner) => {
    const pii = options.personalData;
    if (pii === undefined || pii === "unencrypted") return undefined;
    const keys = new SubjectKeys({ store: createPostgresKeyStore({ storage, schema }), keks: pii.kek, ...(pii.cache === undefined ? {} : { cache: pii.cache }) });
    return createStorePersonalData(options.registry, keys, schema).decryptRows;
  };
  // Keys are read from the replica too: an erasure reaches a replica when it replays it.
  const decryptors = replicas.map((replica) => decryptorOn(replica.storage));
  // Reads the primary serves run the store's own read code here, not through the primary store:
  // the read's span (with its routing) is then the only one, not the parent of a second.
  const onPrimary = { storage: createPostgresStorage({ pool: primaryPool }), statements: buildStatements(schema) };
  const primaryDecrypt = decryptorOn(onPrimary.storage);

  let writes = 0;
  let known: { readonly writes: number; readonly lsn: string } | undefined;
  let floor: string | undefined;
  const counts = { replicaReads: 0, lagFallbacks: 0, failureFallbacks: 0 };
  let next = 0;
  let closed = false;

  const writePosition = async (): Promise<string> => {
    const { rows } = await wrapped(() => primaryPool.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn"));
    return rows[0]?.lsn ?? "0/0";
  };
  /** The WAL position a read must see; `undefined` when any replica state will do. */
  const target = async (): Promise<string | undefined> => {
    let own: string | undefined;
    if (readYourWrites && writes > 0) {
      const seen = writes;
      if (known?.writes !== seen) known = { writes: seen, lsn: await writePosition() };
      own = known.lsn;
    }
    if (own === undefined) return floor;
    return floor === undefined || hasReached(own, floor) ? own : floor;
  };
  const wrote = <T>(work: Promise<T>): Promise<T> =>
    work.then(
      (result) => {
        writes += 1;
        return result;
      },
      (error: unknown) => {
        // A conflict means another writer committed first: later reads should see that commit too.
        if (isStrataError(error, "STREAM_CONFLICT")) writes += 1;
        throw error;
      },
    );
  const markDown = (replica: Replica): void => {
    replica.downUntil = Date.now() + downRetryMs;
    replica.replayed = undefined;
  };
  /**
   * A replica that has replayed `goal` (`replica` undefined: read from the primary; counted), and
   * where the read goes, for its span.
   */
  const choose = async (): Promise<{ readonly replica: Replica | undefined; readonly routing: ReadRouting }> => {
    if (closed) throw new StoreUnavailableError("The event store is closed; create a new one.");
    const goal = await target();
    const now = Date.now();
    const first = next;
    let failed: string | undefined;
    for (let tried = 0; tried < replicas.length; tried += 1) {
      const replica = replicas[(first + tried) % replicas.length] as Replica;
      if (replica.downUntil > now) continue;
      next = (replica.index + 1) % replicas.length;
      const started = performance.now();
      try {
        if (goal === undefined) return { replica, routing: { target: "replica", replica: replica.name } };
        const reached = await waitForReplay(replica, goal, timeoutMs, pollMs);
        const replayWaitMs = performance.now() - started;
        if (reached) return { replica, routing: { target: "replica", replica: replica.name, replayWaitMs } };
        counts.lagFallbacks += 1;
        return { replica: undefined, routing: { target: "primary", replica: replica.name, fallback: "lag", replayWaitMs } };
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        markDown(replica);
        failed = replica.name;
      }
    }
    counts.failureFallbacks += 1;
    return { replica: undefined, routing: { target: "primary", replica: failed, fallback: "failure" } };
  };
  /** Runs `onReplica` on a chosen replica, or `primaryRead` when none can serve it or the replica fails; records where on `span`. */
  const route = async <T>(span: Span, onReplica: (runner: QueryRunner, replica: Replica) => Promise<T>, primaryRead: () => Promise<T>): Promise<T> => {
    const { replica, routing } = await choose();
    recordRouting(span, routing);
    if (replica === undefined) return primaryRead();
    try {
      const result = await onReplica(replica.storage, replica);
      counts.replicaReads += 1;
      return result;
    } catch (error) {
      if (!isReplicaFailure(error)) throw error;
      markDown(replica);
      counts.failureFallbacks += 1;
      recordRouting(span, { target: "primary", fallback: "failure" });
      return primaryRead();
    }
  };
  const traced = <T>(name: string, operation: string, work: (span: Span) => Promise<T>): Promise<T> =>
    inSpan(name, { kind: SpanKind.CLIENT, attributes: storeSpanAttributes(schema, operation) }, work);

  async function* routedStream(span: Span, streamId: string, readOptions: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const { replica, routing } = await choose();
    recordRouting(span, routing);
    let resume = readOptions;
    if (replica !== undefined) {
      let last: number | undefined;
      let yielded = 0;
      try {
        for await (const event of readStream(replica.storage, statements, upcast, streamId, readOptions, decryptors[replica.index])) {
          last = event.version;
          yielded += 1;
          yield event;
        }
        counts.replicaReads += 1;
        return;
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        markDown(replica);
        counts.failureFallbacks += 1;
        recordRouting(span, { target: "primary", fallback: "failure" });
        // Continue on the primary after the last event handed out.
        if (last !== undefined) {
          const forward = (readOptions.direction ?? "forward") === "forward";
          resume = { ...readOptions, fromVersion: forward ? last + 1 : last - 1, ...(readOptions.limit === undefined ? {} : { limit: readOptions.limit - yielded }) };
          if (resume.limit === 0 || (!forward && last - 1 < 1)) return;
        }
      }
    }
    yield* readStream(onPrimary.storage, onPrimary.statements, upcast, streamId, resume, primaryDecrypt);
  }

  const store: ReplicatedEventStore = {
    append: (streamId, events, appendOptions) => wrote(primary.append(streamId, events, appendOptions)),
    appendMany: (batches) => wrote(primary.appendMany(batches)),
    deleteStream: (streamId, deleteOptions) => wrote(primary.deleteStream(streamId, deleteOptions)),
    readStream: (streamId, readOptions) => ({
      [Symbol.asyncIterator]: () => tracedIteration((span) => routedStream(span, streamId, readOptions), storeSpanAttributes(schema, "read_stream", { [A.streamId]: streamId })),
    }),
    readAll: (readOptions) =>
      traced("strata.read_all", "read_all", async (span) => {
        const page = await route(
          span,
          (runner, replica) => readAll(runner, statements, upcast, readOptions, decryptors[replica.index]),
          () => readAll(onPrimary.storage, onPrimary.statements, upcast, readOptions, primaryDecrypt),
        );
        span.setAttribute(A.eventCount, page.events.length);
        return page;
      }),
    streamVersion: (streamId) =>
      traced("strata.stream_version", "stream_version", (span) => {
        span.setAttribute(A.streamId, streamId);
        return route(span, (runner) => streamVersion(runner, statements, streamId), () => streamVersion(onPrimary.storage, onPrimary.statements, streamId));
      }),
    listStreams: (listOptions = {}) =>
      traced("strata.list_streams", "list_streams", (span) =>
        route(span, (runner) => listStreams(runner, statements, listOptions), () => listStreams(onPrimary.storage, onPrimary.statements, listOptions)),
      ),
    writePosition,
    observe: (position) => {
      parseWalPosition(position);
      if (floor === undefined || !hasReached(floor, position)) floor = position;
    },
    routing: () => ({ ...counts }),
    close: async () => {
      if (closed) return;
      closed = true;
      await primary.close();
      await closeReplicas();
      if (ownsPrimary) await primaryPool.end();
    },
  };
  return store as unknown as ReplicatedEventStore<RegistryEvent<R>, RegistryReadEvent<R>>;
}
