/**
 * Command handling: load (snapshot + tail), decide, append with the loaded version as the
 * expected version, retry on a concurrency conflict, then snapshot off the command's path.
 *
 * @module
 */
import type { EventShape } from "../registry.js";
import type { SnapshotPolicy } from "../snapshots/snapshot-policy.js";
import { shouldSnapshot } from "../snapshots/snapshot-policy.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import type { Decider, DomainErrorShape } from "./decider.js";
import { foldEvents, isRejection } from "./decider.js";
import type { EventsAcceptedBy, EventsReadableBy, EventStoreLike, RecordedEventLike } from "./event-store-like.js";
import type { AggregateLogger, AggregateMetrics } from "./aggregate-observability.js";
import { consoleAggregateLogger, createAggregateMetrics } from "./aggregate-observability.js";
import type { LoadedAggregate, LoadTarget } from "./load-aggregate.js";
import { loadAggregate, toReadEvent } from "./load-aggregate.js";
import type { RetryPolicy } from "./retry-policy.js";
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep } from "./retry-policy.js";
import { CommandRetriesExhaustedError } from "./aggregate-errors.js";
import { isStrataError } from "../errors.js";
import { createSnapshotWriter } from "./snapshot-writer.js";
import { createKeyedQueue } from "./stream-queue.js";
import { commandMetadata, traceCommand } from "../telemetry/command-telemetry.js";

/** How a command handler is built. */
export interface CommandHandlerOptions<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape, TRecorded extends RecordedEventLike, TReadEvent extends EventShape = TEvent> {
  readonly store: EventStoreLike<TRecorded>;
  /**
   * The decider; its events must be events of the store's registry, and its `evolve` must take
   * them as the store reads them (personal-data fields `T | Erased`; see `DeciderFor`).
   */
  readonly decider: Decider<TState, TCommand, TEvent, TError, TReadEvent> & EventsAcceptedBy<TEvent, TRecorded> & EventsReadableBy<TReadEvent, TRecorded>;
  /** Load from snapshots and write new ones by `policy`. Without it every load replays the stream. */
  readonly snapshots?: { readonly store: SnapshotStore; readonly policy: SnapshotPolicy };
  /** Defaults to {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: AggregateLogger;
  /** Counters to add to; a fresh set when omitted (see `handler.metrics`). */
  readonly metrics?: AggregateMetrics;
  /** Source of randomness for retry jitter (tests pin it). */
  readonly random?: () => number;
  /**
   * Queue this handler's commands per stream (default `true`): concurrent commands on one stream
   * from this process then run one after the other instead of conflicting and retrying. Conflicts
   * with other processes are still detected and retried.
   */
  readonly queuePerStream?: boolean;
}

/** Per-command options. */
export interface HandleCommandOptions {
  /**
   * Metadata recorded with every event of the command (user id, …). `correlationId`,
   * `causationId` and `commandId` are filled in when absent (see docs/observability.md).
   */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The command's id, recorded as `commandId` (default: a fresh UUIDv7). */
  readonly commandId?: string;
  /** Ids for the decided events, by position, so a retried request appends idempotently. */
  readonly eventIds?: readonly string[];
}

/** What a command did. A rejection is a result, not an exception: its error is typed by the decider. */
export type CommandResult<TError extends DomainErrorShape, TRecorded extends RecordedEventLike = RecordedEventLike> =
  | {
      readonly status: "applied";
      /** The stream version after the append (the version to expect next time). */
      readonly nextExpectedVersion: number;
      /** The recorded events; empty when the decision was "nothing to do". */
      readonly events: readonly TRecorded[];
      /** 1 when no conflict happened. */
      readonly attempts: number;
    }
  | { readonly status: "rejected"; readonly error: TError; readonly version: number; readonly attempts: number };

/** Handles commands for one decider. */
export interface CommandHandler<TState, TCommand, TError extends DomainErrorShape, TRecorded extends RecordedEventLike> {
  /** Decides `command` against the current state of `streamId` and appends the result. */
  handle(streamId: string, command: TCommand, options?: HandleCommandOptions): Promise<CommandResult<TError, TRecorded>>;
  /** Loads the current state (or a past one) with this handler's snapshots. */
  load(streamId: string, target?: LoadTarget): Promise<LoadedAggregate<TState>>;
  /** Waits for the snapshot writes started so far. Commands never wait for them. */
  flushSnapshots(): Promise<void>;
  readonly metrics: AggregateMetrics;
}

/**
 * Creates a command handler.
 *
 * @example
 * ```ts
 * const accounts = createCommandHandler({ store, decider: bankAccount, snapshots: { store: snapshots, policy: { everyEvents: 100 } } });
 * const result = await accounts.handle("account-42", { type: "Deposit", amount: 500 });
 * if (result.status === "rejected") console.log(result.error.code);
 * ```
 */
export function createCommandHandler<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape, TRecorded extends RecordedEventLike, TReadEvent extends EventShape = TEvent>(
  options: CommandHandlerOptions<TState, TCommand, TEvent, TError, TRecorded, TReadEvent>,
): CommandHandler<TState, TCommand, TError, TRecorded> {
  const { store, decider } = options;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const logger = options.logger ?? consoleAggregateLogger;
  const metrics = options.metrics ?? createAggregateMetrics();
  const snapshots = options.snapshots;
  const writer = snapshots === undefined ? undefined : createSnapshotWriter(snapshots.store, decider, logger, metrics);
  const queue = options.queuePerStream === false ? undefined : createKeyedQueue();

  const load = (streamId: string, target: LoadTarget = {}): Promise<LoadedAggregate<TState>> =>
    loadAggregate(store, decider, streamId, { ...target, ...(snapshots === undefined ? {} : { snapshots: snapshots.store }), logger, metrics });

  async function decideAndAppend(streamId: string, command: TCommand, handleOptions: HandleCommandOptions): Promise<CommandResult<TError, TRecorded>> {
    for (let attempt = 1; ; attempt += 1) {
      const loaded = await load(streamId);
      const decision = decider.decide(command, loaded.state);
      if (isRejection(decision)) {
        metrics.commandsRejected += 1;
        return { status: "rejected", error: decision.error, version: loaded.version, attempts: attempt };
      }
      if (decision.length === 0) return { status: "applied", nextExpectedVersion: loaded.version, events: [], attempts: attempt };
      const toAppend = decision.map((event, index) => ({
        type: event.type,
        data: event.data,
        ...(handleOptions.eventIds?.[index] === undefined ? {} : { id: handleOptions.eventIds[index] }),
        ...(handleOptions.metadata === undefined ? {} : { metadata: handleOptions.metadata }),
      }));
      let appended;
      try {
        appended = await store.append(streamId, toAppend, { expectedVersion: loaded.version === 0 ? "no_stream" : loaded.version });
      } catch (error) {
        if (!isStrataError(error, "STREAM_CONFLICT")) throw error;
        if (attempt >= retry.maxAttempts) {
          metrics.retriesExhausted += 1;
          throw new CommandRetriesExhaustedError(decider.name, streamId, attempt, { cause: error });
        }
        metrics.conflictRetries += 1;
        await sleep(retryDelayMs(retry, attempt, options.random));
        continue;
      }
      metrics.commandsApplied += 1;
      if (snapshots !== undefined && writer !== undefined) {
        const policyInput = {
          previousVersion: loaded.version,
          newVersion: appended.nextExpectedVersion,
          snapshotVersion: loaded.snapshotVersion,
          replayMs: loaded.replayMs,
        };
        if (shouldSnapshot(snapshots.policy, policyInput)) {
          // Fold the events as recorded, read the way a replay reads them, not as decided: the store
          // may normalise data on append (defaults, stripped fields).
          const recorded = appended.events.map((event) => toReadEvent<TReadEvent>(event));
          writer.schedule(streamId, foldEvents(decider, loaded.state, recorded), appended.nextExpectedVersion);
        }
      }
      return { status: "applied", nextExpectedVersion: appended.nextExpectedVersion, events: appended.events, attempts: attempt };
    }
  }

  const handle = (streamId: string, command: TCommand, handleOptions: HandleCommandOptions = {}): Promise<CommandResult<TError, TRecorded>> =>
    traceCommand(decider.name, streamId, async (): Promise<CommandResult<TError, TRecorded>> => {
      const withIds = { ...handleOptions, metadata: commandMetadata(handleOptions) };
      return queue === undefined ? decideAndAppend(streamId, command, withIds) : queue.run(streamId, () => decideAndAppend(streamId, command, withIds));
    });

  return { handle, load, flushSnapshots: () => writer?.flush() ?? Promise.resolve(), metrics };
}

/**
 * Handles one command without snapshots: a shortcut for scripts and tests. Services should keep
 * one {@link createCommandHandler} per decider.
 */
export function handleCommand<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape, TRecorded extends RecordedEventLike, TReadEvent extends EventShape = TEvent>(
  store: EventStoreLike<TRecorded>,
  decider: Decider<TState, TCommand, TEvent, TError, TReadEvent> & EventsAcceptedBy<TEvent, TRecorded> & EventsReadableBy<TReadEvent, TRecorded>,
  streamId: string,
  command: TCommand,
  options: HandleCommandOptions & { readonly retry?: Partial<RetryPolicy>; readonly logger?: AggregateLogger } = {},
): Promise<CommandResult<TError, TRecorded>> {
  const { retry, logger, ...perCommand } = options;
  return createCommandHandler({ store, decider, ...(retry === undefined ? {} : { retry }), ...(logger === undefined ? {} : { logger }) }).handle(
    streamId,
    command,
    perCommand,
  );
}
