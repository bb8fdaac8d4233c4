/**
 * Projection workers that scale out: one projection split into N partitions by a hash of the
 * stream id, each partition with its own lease and checkpoint, spread over every worker that runs
 * it (in one process or many) and rebalanced when workers join or leave.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely, Transaction } from "kysely";
import { InvalidArgumentError } from "../../errors.js";
import { migrateStorage } from "../../migrations/migrate.js";
import type { EventRegistry, EventShape } from "../../registry.js";
import { isReplicaFailure, openReplicas } from "../../replicas/replica-set.js";
import type { Replica, ReplicaConnection } from "../../replicas/replica-set.js";
import { buildStandbyStatements } from "../../replicas/standby-statements.js";
import { createStorage } from "../../storage/create-storage.js";
import type { DatabaseConfig } from "../../storage/create-storage.js";
import { wrapDriverError } from "../../storage/driver-errors.js";
import { checkSchemaName, DEFAULT_SCHEMA } from "../../store/create-event-store.js";
import type { ReadAllPage } from "../../store/event-store.js";
import { readAll } from "../../store/read-all.js";
import { buildStatements } from "../../store/statements.js";
import type { Statements } from "../../store/statements.js";
import { createUpcastOnRead } from "../../store/upcast-on-read.js";
import { runnerOf } from "../internal/store-access.js";
import { pageDecryption } from "../internal/page-decryption.js";
import type { PagePersonalData } from "../internal/page-decryption.js";
import { migrateReadModel } from "../internal/read-model-schema.js";
import { openNotificationListener } from "../internal/notification-listener.js";
import type { NotificationListener } from "../internal/notification-listener.js";
import { eventsChannel } from "../../migrations/0002-projections/migration.js";
import type { ProjectableEvent, Projection } from "../projection.js";
import type { DeadLetter, DeadLetterRetryReport } from "../dead-letter.js";
import { deadLetterAdmin } from "../internal/dead-letter-admin.js";
import { readEventsById } from "../internal/store-access.js";
import { errorCodeOf } from "../dead-letter.js";
import { deadLetters as deadLetterStatements } from "../internal/dead-letters.js";
import { policyOf } from "../internal/dead-letter-step.js";
import { HandlerFailure } from "../internal/handler-failure.js";
import { dropSchema, rebuildSchemaOf, swapSchemas } from "../internal/read-model-schema.js";
import { park, recordParked } from "../internal/run-step.js";
import { describeFailure, ProjectionNotFailedError } from "../projection-errors.js";
import { resolveRunnerSettings } from "../runner-settings.js";
import type { RunnerOptions } from "../runner-settings.js";
import type { RecordedEvent } from "../../store/recorded-event.js";
import { assignedPartitions } from "./partition-assignment.js";
import { partitionBook } from "./partition-book.js";
import { partitionFailures } from "./partition-failures.js";
import { ensurePartitionStatistics, partitionStatements } from "./partition-statements.js";

/** Options of {@link createProjectionWorker}. `maxAttempts` and `backoff` are the defaults of the projection's `failure` policy, as in the engine. */
export interface ProjectionWorkerOptions<R extends EventRegistry<EventShape>> extends Pick<RunnerOptions, "maxAttempts" | "backoff"> {
  /** The store's database (PostgreSQL): checkpoints, leases and the read model live here. */
  readonly database: DatabaseConfig;
  /** The store's Postgres schema (default `"strata"`). */
  readonly schema?: string;
  /** Bring the store schema up to date first (default `true`). */
  readonly migrate?: boolean;
  /** The registry the store was opened with: events are upcast with it. */
  readonly registry: R;
  /** The projection to run; its handler must only depend on the events of one stream at a time (per-stream order is kept, global order across partitions is not). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in the engine's options: each projection types its own tables.
  readonly projection: Projection<ProjectableEvent<R>, any, any>;
  /** Into how many partitions the projection is split. Fixed for the projection's lifetime (a worker with another count is refused). */
  readonly partitions: number;
  /** This worker's id (default: host, process id and a random suffix). Unique among the projection's workers. */
  readonly workerId?: string;
  /** How long a partition lease and a worker's membership last without renewal (default 10 000 ms): the takeover delay after a crash. */
  readonly leaseMs?: number;
  /** How long an idle worker waits before looking again (default 100 ms); an append announced by NOTIFY wakes it earlier. */
  readonly pollMs?: number;
  /** How often a worker renews its membership and leases and looks for joined or departed workers (default: a third of `leaseMs`, at most 1 000 ms). */
  readonly rebalanceMs?: number;
  /** Events per batch (default: the projection's `batchSize`, else 500). */
  readonly batchSize?: number;
  /**
   * Read pages of events from this streaming replica; checkpoints and the read model stay on the
   * primary. A page the replica returns empty (nothing newer, or it lags) is read on the primary;
   * a replica that fails is left out for 5 s.
   */
  readonly readReplica?: ReplicaConnection;
  /**
   * The store's crypto-shredding settings (as given to `createEventStore`): handlers then receive
   * personal fields decrypted, and erased subjects' fields as `ERASED`, as with the engine.
   * Without it, a store with personal data hands handlers the encrypted envelopes.
   */
  readonly personalData?: PagePersonalData;
  /**
   * Called on every failed attempt, with the original error (it may quote event data: do not log
   * it where personal data must not go). A handler's failure names the event and the attempt; a
   * database failure is retried after a backoff up to 5 s, without end.
   */
  readonly onError?: (error: unknown, info: ProjectionWorkerErrorInfo) => void;
  /** Called after every batch that applied events. */
  readonly onProgress?: (progress: { readonly name: string; readonly partition: number; readonly applied: number }) => void;
}

/** What {@link ProjectionWorkerOptions.onError} is told besides the error. */
export interface ProjectionWorkerErrorInfo {
  readonly name: string;
  readonly partition?: number;
  /** For a handler's failure: the attempt on this event (1, 2, …), and the event. */
  readonly attempt?: number;
  readonly eventId?: string;
  readonly eventType?: string;
}

/** One partition as {@link ProjectionWorker.status} reports it. */
export interface PartitionStatus {
  readonly partition: number;
  readonly checkpoint: string | undefined;
  readonly eventsApplied: number;
  /** The worker holding a valid lease, if any. */
  readonly owner: string | undefined;
  /** `failed`: stopped at an event its handler kept failing on (`onExhausted: "stop"`) until {@link ProjectionWorker.retry} or {@link ProjectionWorker.skip}. */
  readonly state: "running" | "failed";
  /** The event a failed partition stopped at: ids, attempts, the error's class and code (never its message). */
  readonly failure: { readonly eventId: string; readonly eventType: string; readonly attempts: number; readonly error: string } | undefined;
}

/** A worker of a scaled-out projection; see {@link createProjectionWorker}. */
export interface ProjectionWorker {
  readonly id: string;
  /** Migrates what the worker needs (store schema, read model, partition rows, statistics); {@link start} does it when not done yet. */
  prepare(): Promise<void>;
  /** Joins the projection's workers, takes its share of the partitions and runs them until {@link stop}. */
  start(): Promise<void>;
  /** Finishes the current batch, gives its partitions back and leaves; the others take them over at their next look. */
  stop(): Promise<void>;
  /** The partitions this worker holds now. */
  held(): readonly number[];
  /** Every partition of the projection: checkpoint, events applied, lease owner, failure. */
  status(): Promise<readonly PartitionStatus[]>;
  /** Resumes failed partitions (all, or `partition`): their failed events are tried again. Throws `ProjectionNotFailedError` when none was failed. */
  retry(partition?: number): Promise<void>;
  /** Resumes a failed partition past its failed event, recorded in `projection_skips` (never silent). Throws `ProjectionNotFailedError` when it is not failed. */
  skip(partition: number): Promise<void>;
  /** The projection's dead letters (`onExhausted: "dead-letter"`), in stream order. */
  deadLetters(): Promise<readonly DeadLetter[]>;
  /**
   * Applies the dead letters again, stream by stream in stream order (the failed event, then the
   * events parked behind it), or only the stream of `eventId`, each stream under its partition's
   * row lock; letters that fail again stay, with their attempt count raised. As the engine's.
   */
  retryDeadLetters(eventId?: string): Promise<DeadLetterRetryReport>;
  /** Drops a failed dead letter (recorded in `projection_skips`), then applies the events parked behind it. As the engine's. */
  dropDeadLetter(eventId: string): Promise<DeadLetterRetryReport>;
  /**
   * Rebuilds the read model from position 0, while workers run: fresh tables (the projection's
   * migrations) are made beside the live ones, then, in one transaction holding every
   * partition's row (so no batch of any worker is in flight), they replace the live tables, every
   * partition's checkpoint goes back to the start, failures and dead letters are cleared. The
   * lease holders then apply every event again. Queries see the read model empty at the swap and
   * filling up after it. Run one rebuild of a projection at a time.
   */
  rebuild(): Promise<void>;
  /** Stops (if started) and closes the connections it opened. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a worker of a projection split into `partitions` partitions by stream hash. Start the
 * same projection with the same partition count in as many workers (processes or machines) as
 * needed: the live workers share the partitions evenly (partition `p` to the worker at index
 * `p mod W` of the workers sorted by id), each partition is applied by one worker at a time under
 * a lease, and its checkpoint is committed with its batch's read-model writes. When a worker joins
 * or leaves (or its lease lapses after a crash) the partitions move at the others' next look;
 * a partition continues from its checkpoint, so nothing is applied twice or skipped, and the
 * events of one stream are applied in their order. Events of different streams may be applied
 * out of global order (in different partitions): the handler must not depend on it.
 *
 * A handler that keeps failing follows the projection's `failure` policy, as in the engine, per
 * partition: `maxAttempts` tries with backoff (the failing event isolated in a batch of its own),
 * then `"stop"` stops that partition in the `failed` state (the others go on) until
 * {@link ProjectionWorker.retry} or {@link ProjectionWorker.skip}, or `"dead-letter"` records the
 * event in `projection_dead_letters`, parks the later events of its stream and goes on.
 * {@link ProjectionWorker.rebuild} replays every event into fresh tables. Personal data is
 * decrypted with `personalData`, as in the engine.
 *
 * @example
 * ```ts
 * const worker = createProjectionWorker({ database, registry, projection: balances, partitions: 8 });
 * await worker.start(); // in each of several processes
 * // … on shutdown
 * await worker.close();
 * ```
 */
export function createProjectionWorker<R extends EventRegistry<EventShape>>(options: ProjectionWorkerOptions<R>): ProjectionWorker {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkSchemaName(schema);
  const { partitions } = options;
  if (!(Number.isSafeInteger(partitions) && partitions >= 1 && partitions <= 1024)) throw new InvalidArgumentError(`partitions must be an integer from 1 to 1024, got ${partitions}.`);
  const projection = options.projection as unknown as Projection;
  const name = projection.name;
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 10_000;
  const pollMs = options.pollMs ?? 100;
  const batchSize = options.batchSize ?? projection.batchSize ?? 500;
  const rebalanceMs = Math.min(Math.floor(leaseMs / 2), options.rebalanceMs ?? Math.max(10, Math.min(1_000, Math.floor(leaseMs / 3))));
  const policy = policyOf(projection, resolveRunnerSettings({ ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }), ...(options.backoff === undefined ? {} : { backoff: options.backoff }) }));
  const storage = createStorage(options.database);
  const book = partitionBook(schema);
  const dead = deadLetterStatements(schema);
  const parking = { dead, unit: projection };
  const upcast = createUpcastOnRead(options.registry);
  // A page from the replica looks its keys up on the primary's storage.
  const personal = pageDecryption(storage, schema, options.registry, options.personalData);
  const primaryPlain = buildStatements(schema);
  const primaryStatements = Array.from({ length: partitions }, (_, p) => partitionStatements(primaryPlain, partitions, p));
  const replicaSet = options.readReplica === undefined ? undefined : openReplicas([options.readReplica]);
  const standbyStatements: readonly Statements[] = replicaSet === undefined ? [] : Array.from({ length: partitions }, (_, p) => partitionStatements(buildStandbyStatements(schema), partitions, p));
  const transaction = <T>(work: (trx: Transaction<unknown>) => Promise<T>): Promise<T> =>
    storage.withKysely(async (db) => {
      try {
        return await db.transaction().execute(work);
      } catch (error) {
        // A handler's failure goes to the failure policy as it is.
        if (error instanceof HandlerFailure) throw error;
        throw wrapDriverError(error);
      }
    });
  const run = <T>(work: (db: Kysely<unknown>) => Promise<T>): Promise<T> => storage.withKysely(work);

  let held: readonly number[] = [];
  let running = false;
  let loop: Promise<void> | undefined;
  let prepared = false;
  let closed = false;
  let lastRebalance = 0;
  let listener: NotificationListener | undefined;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  const wake = (): void => {
    woken = true;
    wakeUp?.();
  };
  /** Waits `pollMs`, or less when an append is announced. */
  const idle = async (): Promise<void> => {
    if (!woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    wakeUp = undefined;
    woken = false;
  };

  const prepare = async (): Promise<void> => {
    if (prepared) return;
    if (options.migrate ?? true) await migrateStorage(storage, schema);
    // Workers of one projection often start together: `CREATE SCHEMA IF NOT EXISTS`, the
    // migrator's own tables and `CREATE STATISTICS IF NOT EXISTS` race between them (a unique
    // violation in the catalog). The loser tries again and finds them made.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await migrateReadModel({ storage }, projection, projection.schema);
        await run((db) => ensurePartitionStatistics(db, schema, partitions));
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(20 * attempt);
      }
    }
    const stored = await run((db) => book.ensure(db, name, partitions));
    if (stored !== partitions) {
      throw new InvalidArgumentError(`Projection "${name}" is split into ${stored === -1 ? "an inconsistent number of" : stored} partitions, not ${partitions}; repartitioning needs a rebuild into a new projection name.`);
    }
    prepared = true;
  };

  /** Reads the partition's next page: from the replica when there is one and it has events, else in the batch's transaction. */
  const readPage = async (trx: Transaction<unknown>, partition: number, after: string | null, limit: number): Promise<ReadAllPage> => {
    const pageOptions = { ...(after === null ? {} : { after }), limit, types: projection.handles };
    const replica: Replica | undefined = replicaSet?.replicas[0];
    if (replica !== undefined && replica.downUntil <= Date.now()) {
      try {
        // A page the replica returns empty (nothing newer, or it lags) is read on the primary: the
        // live tail never waits for replay.
        const page = await readAll(replica.storage, standbyStatements[partition] as Statements, upcast, pageOptions, personal?.decryptRows);
        if (page.events.length > 0) return page;
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        replica.downUntil = Date.now() + 5_000;
      }
    }
    const runner = runnerOf(trx);
    if (personal === undefined) return readAll(runner, primaryStatements[partition] as Statements, upcast, pageOptions);
    return personal.within(runner, () => readAll(runner, primaryStatements[partition] as Statements, upcast, pageOptions, personal.decryptRows));
  };

  /** One batch of one partition; `undefined` when the lease is gone, `"failed"` while the partition is stopped. Throws {@link HandlerFailure}. */
  const step = async (partition: number, limit: number): Promise<{ readonly applied: number; readonly caughtUp: boolean } | "failed" | undefined> =>
    transaction(async (trx) => {
      const row = await book.lock(trx, name, partition);
      if (row === undefined || row.lease_owner !== id || !row.lease_valid) return undefined;
      if (row.failed_event_id !== null) return "failed";
      const page = await readPage(trx, partition, row.checkpoint, limit);
      // Under the dead-letter policy, later events of a stream with a dead letter wait behind it.
      const { apply, parked } = await park(parking, trx, page.events);
      if (apply.length > 0) {
        try {
          await projection.handle(apply, { db: trx.withSchema(projection.schema), schema: projection.schema, rebuilding: false });
        } catch (error) {
          throw new HandlerFailure(apply, "live", error);
        }
      }
      await recordParked(parking, trx, parked);
      if (page.events.length > 0 || page.checkpoint !== row.checkpoint) await book.commit(trx, name, partition, page.checkpoint, apply.length, leaseMs);
      return { applied: apply.length, caughtUp: page.caughtUp };
    });

  /** After the last attempt on `event`: dead-letters it (checkpoint moved past it) or stops the partition, if this worker still holds it. */
  const exhausted = async (partition: number, event: RecordedEvent, attempts: number, cause: unknown): Promise<void> =>
    transaction(async (trx) => {
      const row = await book.lock(trx, name, partition);
      if (row === undefined || row.lease_owner !== id || !row.lease_valid) return;
      if (policy.onExhausted === "dead-letter") {
        await dead.add(trx, name, event, { status: "failed", attempts, errorCode: errorCodeOf(cause), error: describeFailure(cause) });
        await book.commit(trx, name, partition, event.checkpoint, 0, leaseMs);
      } else {
        await book.markFailed(trx, name, partition, { eventId: event.id, eventType: event.type, checkpoint: event.checkpoint, attempts, error: describeFailure(cause) });
      }
    });

  // The engine's dead-letter operations, each stream's retry under its partition's row lock.
  const letters = deadLetterAdmin(
    { transaction, readEvents: (trx, ids) => readEventsById(runnerOf(trx), primaryPlain, upcast, personal, ids) },
    (trx, letterName, streamId) => book.lockStream(trx, letterName, streamId, partitions),
    dead,
  );

  const failures = partitionFailures({
    policy,
    onError: options.onError === undefined ? undefined : (error, info) => options.onError?.(error, { name, ...info }),
    exhausted,
  });

  const rebalance = async (): Promise<void> => {
    const live = await run((db) => book.heartbeat(db, name, id, leaseMs));
    const wanted = assignedPartitions(partitions, live, id);
    const drop = held.filter((partition) => !wanted.includes(partition));
    await run((db) => book.release(db, name, id, drop));
    held = await run((db) => book.acquire(db, name, id, wanted, leaseMs));
    lastRebalance = Date.now();
  };

  const work = async (): Promise<void> => {
    let loopFailures = 0;
    while (running) {
      let partition: number | undefined;
      try {
        // A worker without partitions looks every tick (it may have just joined); the others every rebalanceMs.
        if (Date.now() - lastRebalance >= rebalanceMs || held.length === 0) await rebalance();
        let busy = false;
        for (const p of held) {
          if (!running) break;
          // Backing off after a failure (undefined): the other partitions go on meanwhile.
          const limit = failures.limit(p, batchSize);
          if (limit === undefined) continue;
          partition = p;
          let outcome: Awaited<ReturnType<typeof step>>;
          try {
            outcome = await step(p, limit);
          } catch (error) {
            if (await failures.failed(p, error)) busy = true;
            continue;
          }
          if (outcome === undefined) {
            held = held.filter((other) => other !== p);
            failures.forget(p);
            continue;
          }
          if (outcome === "failed") continue;
          failures.succeeded(p, outcome.applied);
          if (outcome.applied > 0) options.onProgress?.({ name, partition: p, applied: outcome.applied });
          if (outcome.applied > 0 || !outcome.caughtUp) busy = true;
        }
        partition = undefined;
        loopFailures = 0;
        if (!busy && running) await idle();
      } catch (error) {
        loopFailures += 1;
        options.onError?.(error, { name, ...(partition === undefined ? {} : { partition }) });
        if (running) await sleep(Math.min(5_000, 50 * 2 ** Math.min(loopFailures, 7)));
      }
    }
  };

  const stop = async (): Promise<void> => {
    if (!running) return;
    running = false;
    wake();
    await listener?.close().catch(() => undefined);
    listener = undefined;
    await loop;
    loop = undefined;
    const give = held;
    held = [];
    await run((db) => book.release(db, name, id, give));
    await run((db) => book.leave(db, name, id));
  };

  return {
    id,
    start: async () => {
      if (closed) throw new InvalidArgumentError("This projection worker is closed; create a new one.");
      if (running) return;
      await prepare();
      running = true;
      lastRebalance = 0;
      // Appends are announced by NOTIFY (see append-notifier.ts): an idle worker wakes at once.
      listener = await openNotificationListener(options.database, eventsChannel(schema), wake);
      loop = work();
    },
    prepare,
    stop,
    held: () => held,
    status: async () =>
      (await run((db) => book.list(db, name))).map((row) => ({
        partition: row.partition,
        checkpoint: row.checkpoint ?? undefined,
        eventsApplied: Number(row.events_applied),
        owner: row.lease_valid ? (row.lease_owner ?? undefined) : undefined,
        state: row.failed_event_id === null ? ("running" as const) : ("failed" as const),
        failure:
          row.failed_event_id === null
            ? undefined
            : { eventId: row.failed_event_id, eventType: row.failed_event_type ?? "?", attempts: row.failed_attempts ?? 0, error: row.failed_error ?? "" },
      })),
    retry: async (partition) => {
      await prepare();
      const resumed = await run((db) => book.resume(db, name, partition === undefined ? undefined : [partition]));
      if (resumed.length === 0) throw new ProjectionNotFailedError({ projection: name, action: "retry" });
      wake();
    },
    skip: async (partition) => {
      await prepare();
      await transaction(async (trx) => {
        const row = await book.lock(trx, name, partition);
        if (row?.failed_event_id == null) throw new ProjectionNotFailedError({ projection: name, action: "skip" });
        await book.skip(trx, name, row);
        await book.resume(trx, name, [partition]);
      });
      wake();
    },
    deadLetters: async () => run((db) => dead.list(db, name)),
    retryDeadLetters: async (eventId) => {
      await prepare();
      const report = await letters.retry(projection, eventId);
      wake();
      return report;
    },
    dropDeadLetter: async (eventId) => {
      await prepare();
      const report = await letters.drop(projection, eventId);
      wake();
      return report;
    },
    rebuild: async () => {
      await prepare();
      const fresh = rebuildSchemaOf(projection);
      await dropSchema({ storage }, fresh);
      await migrateReadModel({ storage }, projection, fresh);
      await transaction(async (trx) => {
        // Every partition's row: waits for the batches in flight and holds off the next ones.
        await book.lockAll(trx, name);
        await swapSchemas(trx, projection);
        await book.reset(trx, name);
        await dead.clear(trx, name);
      });
      failures.forget();
      wake();
    },
    close: async () => {
      if (closed) return;
      await stop();
      closed = true;
      await replicaSet?.close();
      await storage.close();
    },
  };
}
