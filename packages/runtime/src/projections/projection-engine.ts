/**
 * The projection engine: runs projections and outbox subscriptions against an event store, and
 * answers the admin questions (status, retry, skip, rebuild) that the CLI and health endpoints ask.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { InvalidArgumentError } from "../errors.js";
import type { EventRegistry, EventShape } from "../registry.js";
import { bookkeeping } from "./internal/bookkeeping.js";
import { deadLetterAdmin, projectionRowLock } from "./internal/dead-letter-admin.js";
import { deadLetters } from "./internal/dead-letters.js";
import { waitForCheckpoint } from "./internal/wait-for.js";
import { checkpointOf } from "./wait-position.js";
import type { WaitForOptions, WaitPosition } from "./wait-position.js";
import type { DeadLetter, DeadLetterRetryReport } from "./dead-letter.js";
import { headOf, lagOf } from "./internal/lag.js";
import { openStoreAccess } from "./internal/store-access.js";
import type { StoreLocation } from "./internal/store-access.js";
import type { NotificationListener } from "./internal/notification-listener.js";
import type { Unit } from "./internal/run-step.js";
import { sleep } from "./internal/sleep.js";
import type { ProjectableEvent, Projection } from "./projection.js";
import { ProjectionFailedError, ProjectionNotFailedError, ProjectionNotFoundError } from "./projection-errors.js";
import { ProjectionRunner } from "./projection-runner.js";
import { toStatus } from "./projection-status.js";
import type { ProjectionStatus } from "./projection-status.js";
import { resolveRunnerSettings } from "./runner-settings.js";
import type { RunnerOptions } from "./runner-settings.js";
import type { Subscription } from "./subscription.js";
import { observeLag } from "../telemetry/projection-telemetry.js";

const RECHECK_MS = 10;

/** Options of {@link createProjectionEngine}. */
export interface ProjectionEngineOptions<R extends EventRegistry<EventShape>> extends StoreLocation, RunnerOptions {
  /** The registry the store was opened with: events are upcast with it before handlers see them. */
  readonly registry: R;
  // Each projection narrows the handled types and types its own read-model tables; `any` is the
  // only type argument that every such projection fits. Its events still come from `R`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly projections?: readonly Projection<ProjectableEvent<R>, any, any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly subscriptions?: readonly Subscription<ProjectableEvent<R>, any>[];
}

/** Runs projections and subscriptions; see {@link createProjectionEngine}. */
export interface ProjectionEngine {
  /** Starts a runner per projection and subscription: each takes its lease (or stands by), catches up, then follows live appends. */
  start(): Promise<void>;
  /** Stops the runners and releases their leases, so standbys elsewhere take over at once. */
  stop(): Promise<void>;
  /**
   * Resolves once the named projection (or every one) has applied every event committed before
   * the call, including a pending rebuild. Runs the work itself when the engine is not started
   * and no other process holds the lease. Throws `ProjectionFailedError` when one is failed.
   */
  catchUp(name?: string): Promise<void>;
  /** Position, head, lag (events and seconds), state and last error of each, or of one. */
  status(name?: string): Promise<readonly ProjectionStatus[]>;
  /**
   * Resumes a failed projection: its failed event is tried again. `lastError` stays in the
   * status until that event is applied.
   */
  retry(name: string): Promise<void>;
  /**
   * Resumes a failed projection past its failed event, recording the skip (never silent).
   * `lastError` stays in the status until the projection commits its next batch.
   */
  skip(name: string): Promise<void>;
  /**
   * Rebuilds a projection into fresh tables from every event, skipped ones included; queries keep
   * reading the old ones until the swap, which clears `lastError`.
   */
  rebuild(name: string): Promise<void>;
  /**
   * Read-your-writes: resolves once the named projections (default: all projections) have
   * applied everything up to `position` — an append's result, a recorded event or a checkpoint.
   * Rejects with `ProjectionWaitTimeoutError` (code `PROJECTION_WAIT_TIMEOUT`, naming the
   * laggards) after `timeoutMs` (default 5 000), or at once with `ProjectionFailedError` when one
   * is failed. A dead-lettered event counts as passed: its read model does not show it.
   */
  waitFor(position: WaitPosition, options?: WaitForOptions): Promise<void>;
  /** The dead letters of one projection or subscription, or of all, in stream order. */
  deadLetters(name?: string): Promise<readonly DeadLetter[]>;
  /**
   * Applies a projection's dead letters again, stream by stream in stream order (the failed
   * event, then the events parked behind it), or only the stream of `eventId`. Letters that
   * fail again stay, with their attempt count raised.
   */
  retryDeadLetters(name: string, eventId?: string): Promise<DeadLetterRetryReport>;
  /** Drops a failed dead letter (recorded in `projection_skips`), then applies the events parked behind it. */
  dropDeadLetter(name: string, eventId: string): Promise<DeadLetterRetryReport>;
  /** Stops and closes what the engine opened. */
  close(): Promise<void>;
}

/**
 * Opens the projection engine on the event store's database. For PGlite, pass the same
 * `instance` as the store's (one PGlite per data directory).
 *
 * @example
 * ```ts
 * const engine = await createProjectionEngine({ database, registry: bankingRegistry, projections: [balances] });
 * await engine.start();
 * app.get("/health", async () => (await engine.status()).every((p) => p.state !== "failed"));
 * ```
 */
export async function createProjectionEngine<R extends EventRegistry<EventShape>>(options: ProjectionEngineOptions<R>): Promise<ProjectionEngine> {
  // The handlers are typed against the registry's events; the engine hands them exactly those.
  const units: Unit[] = [...((options.projections ?? []) as unknown as readonly Unit[]), ...((options.subscriptions ?? []) as unknown as readonly Unit[])];
  const names = new Set<string>();
  for (const unit of units) {
    if (names.has(unit.name)) throw new InvalidArgumentError(`Projection or subscription "${unit.name}" is registered twice; names must be unique.`);
    names.add(unit.name);
  }
  const access = await openStoreAccess(options, options.registry);
  const book = bookkeeping(access.schema);
  const dead = deadLetters(access.schema);
  const letters = deadLetterAdmin(access, projectionRowLock(book), dead);
  const settings = resolveRunnerSettings(options);
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  for (const unit of units) {
    await access.transaction((trx) => book.register(trx, unit.name, unit.kind, unit.kind === "projection" ? unit.version : 1));
  }
  const runners = new Map(units.map((unit) => [unit.name, new ProjectionRunner({ access, book, dead, unit, owner, leaseMs: settings.leaseMs }, settings)]));
  let loops: Promise<void>[] = [];
  let running = false;
  let listener: NotificationListener | undefined;

  const find = (name: string): { unit: Unit; runner: ProjectionRunner } => {
    const unit = units.find((candidate) => candidate.name === name);
    const runner = runners.get(name);
    if (unit === undefined || runner === undefined) throw new ProjectionNotFoundError({ projection: name, known: [...names] });
    return { unit, runner };
  };

  const loop = async (runner: ProjectionRunner): Promise<void> => {
    // After a notification, an idle tick may only mean that a transaction in flight elsewhere
    // holds back the readable horizon: look again soon, backing off up to the polling interval.
    let recheckMs: number | undefined;
    while (running) {
      const tick = await runner.tick().catch((error: unknown) => {
        settings.onError?.(error, { name: "(lease)", attempt: 1 });
        return "standby" as const;
      });
      if (tick === "progress") {
        recheckMs = undefined;
        // Let timers and I/O run between batches (PGlite can answer in microtasks alone).
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const idleMs = Math.min(settings.pollMs, settings.leaseMs / 3);
      const waitMs = tick === "standby" ? settings.leaseMs / 5 : tick === "idle" && recheckMs !== undefined ? recheckMs : idleMs;
      recheckMs = recheckMs === undefined ? undefined : recheckMs * 2 > idleMs ? undefined : recheckMs * 2;
      if (await runner.wait(waitMs)) recheckMs = RECHECK_MS;
    }
    await runner.release().catch(() => undefined);
  };

  const statusOf = async (unit: Unit): Promise<ProjectionStatus> =>
    access.transaction(async (trx) => {
      const row = await book.get(trx, unit.name);
      if (row === undefined) throw new ProjectionNotFoundError({ projection: unit.name, known: [...names] });
      const head = await headOf(trx, access.schema);
      const lag = await lagOf(trx, access.schema, row.checkpoint, unit.handles);
      const rebuildLag = row.rebuild_version === null ? null : await lagOf(trx, access.schema, row.rebuild_checkpoint, unit.handles);
      return toStatus(row, head, lag, rebuildLag, await dead.count(trx, unit.name));
    });

  // Lag gauges (no cost until an OpenTelemetry SDK collects them): telemetry/projection-telemetry.ts.
  const lagGauges = observeLag(() => Promise.all(units.map(statusOf)), new Set(units.filter((unit) => "messagingSystem" in unit).map((unit) => unit.name)));

  const failedError = (status: ProjectionStatus): ProjectionFailedError =>
    new ProjectionFailedError({ projection: status.name, eventId: status.failure?.eventId ?? "?", eventType: status.failure?.eventType ?? "?", attempts: status.failure?.attempts ?? 0 });

  const catchUpOne = async (unit: Unit, runner: ProjectionRunner): Promise<void> => {
    try {
      for (;;) {
        if (!running) {
          // Not started: do the work here, unless another process holds the lease.
          const tick = await runner.tick();
          if (tick === "progress") continue;
          if (tick === "failed") throw failedError(await statusOf(unit));
        }
        // Idle can still mean "behind": a transaction in flight holds back the readable horizon.
        const status = await statusOf(unit);
        if (status.state === "failed") throw failedError(status);
        if (status.lagEvents === 0 && status.rebuild === null) return;
        runner.wake();
        await sleep(Math.min(settings.pollMs, 20));
      }
    } finally {
      if (!running) await runner.release();
    }
  };

  const resume = async (name: string, action: "retry" | "skip"): Promise<void> => {
    const { runner } = find(name);
    await access.transaction(async (trx) => {
      const row = await book.lock(trx, name);
      if (row?.state !== "failed") throw new ProjectionNotFailedError({ projection: name, action });
      if (action === "skip") await book.skip(trx, row);
      await book.resume(trx, name);
    });
    runner.wake();
  };

  const stop = async (): Promise<void> => {
    running = false;
    for (const runner of runners.values()) runner.wake();
    await Promise.all(loops);
    loops = [];
    await listener?.close().catch(() => undefined);
    listener = undefined;
  };

  return {
    start: async () => {
      if (running) return;
      running = true;
      listener = await access.listen(() => {
        for (const runner of runners.values()) runner.wake();
      });
      loops = [...runners.values()].map((runner) => loop(runner));
    },
    stop,
    catchUp: async (name) => {
      const selected = name === undefined ? units : [find(name).unit];
      for (const unit of selected) await catchUpOne(unit, find(unit.name).runner);
    },
    status: async (name) => Promise.all((name === undefined ? units : [find(name).unit]).map(statusOf)),
    retry: (name) => resume(name, "retry"),
    skip: (name) => resume(name, "skip"),
    rebuild: async (name) => {
      const { unit, runner } = find(name);
      if (unit.kind !== "projection") throw new InvalidArgumentError(`"${name}" is a subscription; only projections have read models to rebuild.`);
      await access.transaction((trx) => book.requestRebuild(trx, name, unit.version));
      runner.wake();
    },
    waitFor: async (position, waitOptions = {}) => {
      const target = checkpointOf(position);
      if (target === undefined) return;
      const selected = waitOptions.projections ?? units.filter((unit) => unit.kind === "projection").map((unit) => unit.name);
      for (const name of selected) find(name);
      await waitForCheckpoint(access, book, selected, target, {
        timeoutMs: waitOptions.timeoutMs ?? 5_000,
        pollMs: Math.min(settings.pollMs, 10),
        wake: () => {
          for (const name of selected) find(name).runner.wake();
        },
        onFailed: (row) => new ProjectionFailedError({ projection: row.name, eventId: row.failed_event_id ?? "?", eventType: row.failed_event_type ?? "?", attempts: row.attempts }),
      });
    },
    deadLetters: async (name) => {
      if (name !== undefined) find(name);
      return letters.list(name);
    },
    retryDeadLetters: async (name, eventId) => {
      const { unit, runner } = find(name);
      const report = await letters.retry(unit, eventId);
      runner.wake();
      return report;
    },
    dropDeadLetter: async (name, eventId) => {
      const { unit, runner } = find(name);
      const report = await letters.drop(unit, eventId);
      runner.wake();
      return report;
    },
    close: async () => {
      lagGauges.close();
      await stop();
      await access.close();
    },
  };
}
