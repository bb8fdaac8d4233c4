/**
 * Runs a process manager: a checkpointed subscription (the projection engine's, with its lease,
 * retries and failed state) delivers the handled events in global order, and a deadline loop
 * fires due deadlines from `process_deadlines`. Both hand inputs to `answerInput`, serialised per
 * process.
 *
 * @module
 */
import { createProjectionEngine } from "../projections/projection-engine.js";
import type { ProjectionEngine } from "../projections/projection-engine.js";
import type { ProjectionStatus } from "../projections/projection-status.js";
import type { RunnerOptions } from "../projections/runner-settings.js";
import type { StoreLocation } from "../projections/internal/store-access.js";
import type { Subscription } from "../projections/subscription.js";
import { sleep } from "../projections/internal/sleep.js";
import type { EventRegistry, EventShape } from "../registry.js";
import { createStorage } from "../storage/create-storage.js";
import { DEFAULT_SCHEMA } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { deadlineStore } from "./deadline-store.js";
import type { ProcessManager } from "./process-manager.js";
import { answerInput } from "./process-step-runner.js";
import type { PendingInput, ProcessDispatch, StepRunnerContext } from "./process-step-runner.js";
import { KeyedQueue } from "./keyed-queue.js";

/** Options of {@link createProcessManagerRunner}. */
export interface ProcessManagerRunnerOptions<S, C, Ev extends { readonly type: string }> extends StoreLocation, RunnerOptions {
  readonly registry: EventRegistry<EventShape>;
  /** The event store the process's steps are appended to (the same database and schema). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly store: EventStore<any, any>;
  readonly manager: ProcessManager<S, C, Ev>;
  /** Sends a command; see {@link ProcessDispatch}. */
  readonly dispatch: ProcessDispatch<C>;
  /** How often due deadlines are looked for (default 1 000 ms). */
  readonly deadlinePollMs?: number;
  /** How long a claimed deadline stays claimed before another runner may fire it (default 30 000 ms). */
  readonly deadlineClaimMs?: number;
  /** The clock deadlines are scheduled by (default `() => new Date()`); they fall due by the database's clock. */
  readonly now?: () => Date;
}

/** A process manager's status: its subscription's, and its pending deadlines. */
export interface ProcessManagerStatus {
  readonly subscription: ProjectionStatus;
  readonly pendingDeadlines: number;
  readonly nextDeadlineAt: Date | null;
}

/** A running process manager; see {@link createProcessManagerRunner}. */
export interface ProcessManagerRunner {
  /** Starts the subscription (lease, catch-up, live) and the deadline loop. */
  start(): Promise<void>;
  /** Stops both; a step in flight finishes first. */
  stop(): Promise<void>;
  /** Resolves once every handled event committed before the call was answered (runs the work here when not started). */
  catchUp(): Promise<void>;
  /** Fires the deadlines due now; resolves to how many were answered. A deadline that fails does not stop the others: it is retried once its claim lapses, and the first failure is thrown after the rest were answered. */
  fireDueDeadlines(): Promise<number>;
  status(): Promise<ProcessManagerStatus>;
  /** The underlying engine, for `retry`/`skip` of a failed subscription. */
  readonly engine: ProjectionEngine;
  close(): Promise<void>;
}

/** The subscription a process manager runs on, bound to what answers its inputs. */
function subscriptionOf<S, C, Ev extends { readonly type: string }>(ctx: StepRunnerContext<S, C, Ev>, queue: KeyedQueue): Subscription {
  const { manager } = ctx;
  return {
    kind: "subscription",
    name: manager.name,
    handles: manager.handles,
    handle: async (events) => {
      for (const event of events as readonly RecordedEvent[]) {
        const processId = manager.processId(event as unknown as Ev);
        if (processId === undefined) continue;
        const pending: PendingInput<Ev, C> = { step: { kind: "event", key: `event:${event.id}`, name: event.type }, input: { kind: "event", event: event as unknown as Ev }, cause: event };
        await queue.run(processId, () => answerInput(ctx, processId, pending));
      }
    },
  };
}

/**
 * Runs `manager` against `store`. For PGlite, pass the store's `instance` as `database`.
 *
 * @example
 * ```ts
 * const runner = await createProcessManagerRunner({
 *   database, registry: shopRegistry, store, manager: payments,
 *   dispatch: (command, { commandId }) => orders.handle(`order-${command.orderId}`, command, { eventIds: [commandId] }),
 * });
 * await runner.start();
 * ```
 */
export async function createProcessManagerRunner<S, C, Ev extends { readonly type: string }>(options: ProcessManagerRunnerOptions<S, C, Ev>): Promise<ProcessManagerRunner> {
  const { manager } = options;
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const queue = new KeyedQueue();
  const storage = createStorage(options.database);
  const ctx: StepRunnerContext<S, C, Ev> = { manager, store: options.store, deadlines: deadlineStore(storage, schema, manager.name), dispatch: options.dispatch, now: options.now ?? (() => new Date()) };
  let engine: ProjectionEngine;
  try {
    engine = await createProjectionEngine({ ...options, subscriptions: [subscriptionOf(ctx, queue)] });
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  const pollMs = options.deadlinePollMs ?? 1_000;
  const claimMs = options.deadlineClaimMs ?? 30_000;
  let running = false;
  let loop: Promise<void> | undefined;

  const fireDueDeadlines = async (): Promise<number> => {
    let answered = 0;
    let failure: { readonly error: unknown } | undefined;
    for (;;) {
      const due = await ctx.deadlines.claimDue(50, claimMs);
      for (const deadline of due) {
        const pending: PendingInput<Ev, C> = { step: { kind: "deadline", key: deadline.inputKey, name: deadline.deadlineKey }, input: { kind: "deadline", key: deadline.deadlineKey, data: deadline.data } };
        try {
          await queue.run(deadline.processId, () => answerInput(ctx, deadline.processId, pending));
          await ctx.deadlines.done(deadline.processId, deadline.inputKey);
          answered += 1;
        } catch (error) {
          // One failing deadline must not hold up the others claimed with it (it comes first again
          // in every batch): it stays claimed, fires again once its claim lapses, and the first
          // failure is reported once the rest were answered.
          failure ??= { error };
        }
      }
      if (due.length < 50) break;
    }
    if (failure !== undefined) throw failure.error;
    return answered;
  };

  const deadlineLoop = async (): Promise<void> => {
    while (running) {
      await fireDueDeadlines().catch((error: unknown) => options.onError?.(error, { name: manager.name, attempt: 1 }));
      await sleep(pollMs);
    }
  };

  const stop = async (): Promise<void> => {
    running = false;
    await engine.stop();
    await loop;
    loop = undefined;
  };

  return {
    engine,
    start: async () => {
      if (running) return;
      running = true;
      try {
        await engine.start();
      } catch (error) {
        // Not started: a later start() tries again instead of returning as if it were running.
        running = false;
        throw error;
      }
      loop = deadlineLoop();
    },
    stop,
    catchUp: () => engine.catchUp(manager.name),
    fireDueDeadlines,
    status: async () => {
      const [subscription] = await engine.status(manager.name);
      const pending = await ctx.deadlines.pending();
      // The engine answers for every unit it runs; this one runs exactly one.
      return { subscription: subscription as ProjectionStatus, pendingDeadlines: pending.count, nextDeadlineAt: pending.nextDueAt };
    },
    close: async () => {
      await stop();
      await engine.close();
      await storage.close();
    },
  };
}
