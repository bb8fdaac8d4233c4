/**
 * The app's command side: one command handler per decider over the event store, plus the
 * helpers the HTTP layer needs (idempotent retries, commands at an expected version).
 *
 * @module
 */
import type { BankingEvent, BankingReadEvent } from "@strata/banking-events";
import { createCommandHandler, createInMemorySnapshotStore, isRejection, StreamConflictError } from "@strata/runtime";
import type { AggregateLogger, CommandHandler, Decider, DomainErrorShape, EventStore, NewEvent, RecordedEvent, SnapshotStore } from "@strata/runtime";
import { accountDecider } from "./account.js";
import type { AccountCommand, AccountError } from "./account-commands.js";
import type { AccountState } from "./account-state.js";
import { customerDecider } from "./customer.js";
import type { CustomerCommand, CustomerError, CustomerState } from "./customer.js";
import { DomainRejection } from "./domain-rejection.js";
import type { BankingEventShape } from "./event-shapes.js";
import { transferDecider } from "./transfer.js";
import type { TransferCommand, TransferError, TransferState } from "./transfer.js";
import { FINGERPRINT_KEY, findOriginal, RECENT_WINDOW } from "./request-replay.js";
import type { RequestFingerprint } from "./request-replay.js";

/** The store the app runs on, typed by the banking registry: appends as written, reads with personal data possibly `Erased`. */
export type BankingStore = EventStore<BankingEvent, BankingReadEvent>;
/** A banking event as the store recorded it (latest schema version), personal-data fields possibly `Erased`. */
export type RecordedBankingEvent = RecordedEvent<BankingReadEvent>;

/** What a command appended: the stream version after it and the events (none when it changed nothing). */
export interface Applied {
  readonly streamId: string;
  readonly version: number;
  readonly events: readonly RecordedBankingEvent[];
}

/** The command side of the bank. */
export interface Bank {
  readonly store: BankingStore;
  readonly customers: CommandHandler<CustomerState, CustomerCommand, CustomerError, RecordedBankingEvent>;
  readonly accounts: CommandHandler<AccountState, AccountCommand, AccountError, RecordedBankingEvent>;
  readonly transfers: CommandHandler<TransferState, TransferCommand, TransferError, RecordedBankingEvent>;
}

/** Snapshot an account every this many events (a cache: a missing or stale snapshot only costs a replay). */
export const ACCOUNT_SNAPSHOT_EVERY = 25;

/**
 * Creates the bank's command handlers on `store`. Account snapshots go to `snapshots` (the
 * personal-data store's PostgreSQL snapshots, which erasure cleans), else to process memory.
 */
export function createBank(store: BankingStore, logger?: AggregateLogger, snapshots?: SnapshotStore): Bank {
  const common = { store, ...(logger === undefined ? {} : { logger }), retry: { maxAttempts: 20 } };
  return {
    store,
    customers: createCommandHandler({ ...common, decider: customerDecider }),
    accounts: createCommandHandler({ ...common, decider: accountDecider, snapshots: { store: snapshots ?? createInMemorySnapshotStore(), policy: { everyEvents: ACCOUNT_SNAPSHOT_EVERY } } }),
    transfers: createCommandHandler({ ...common, decider: transferDecider }),
  };
}

/** Per-command options of {@link execute}. */
export interface ExecuteOptions {
  /** Id of the (single) event the command appends: an `Idempotency-Key` made into a UUID. */
  readonly eventId?: string | undefined;
  /** The version the caller saw (`If-Match`); a mismatch raises the store's `STREAM_CONFLICT`. */
  readonly expectedVersion?: number | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** The request's fingerprint (with `eventId`): recorded as `requestFingerprint`, compared on a retry. */
  readonly fingerprint?: RequestFingerprint | undefined;
}

/**
 * The original result of a request whose event (`options.eventId`) is already stored, or
 * `undefined`. Throws `idempotency_key_reused` when it was stored for another request.
 */
async function replayOf(bank: Bank, streamId: string, options: ExecuteOptions, window: number | "all"): Promise<Applied | undefined> {
  if (options.eventId === undefined) return undefined;
  const earlier = await findOriginal(bank.store, streamId, options.eventId, options.fingerprint, window);
  return earlier === undefined ? undefined : { streamId, version: earlier.version, events: [earlier] };
}

/**
 * Runs a command and returns what it appended; a rejection is thrown as {@link DomainRejection}.
 * A retried request (its event id already in the stream) returns the original result without
 * deciding again. With `expectedVersion` the command is decided against the current state and
 * appended with that version as the expected version, so a stream that moved since the caller
 * read it raises the store's `StreamConflictError` (expected and actual version).
 */
export async function execute<S, C, Ev extends BankingEventShape, E extends DomainErrorShape>(
  bank: Bank,
  handler: CommandHandler<S, C, E, RecordedBankingEvent>,
  decider: Decider<S, C, Ev, E>,
  streamId: string,
  command: C,
  options: ExecuteOptions = {},
): Promise<Applied> {
  // A retry usually follows its original closely: the last events are enough to find it.
  const replayed = await replayOf(bank, streamId, options, RECENT_WINDOW);
  if (replayed !== undefined) return replayed;
  try {
    return await decideAndAppend(bank, handler, decider, streamId, command, options);
  } catch (error) {
    // A duplicate that raced the original (same key, sent twice at once) lost to it: a refusal
    // ("already exists"), a conflict or a duplicate event id. The original's answer is the answer.
    // So is the answer of a retry that comes after more events than the first look covered (an
    // account opened long ago; a deposit before the account was frozen): the whole stream is read,
    // on this failure path only.
    const raced = await replayOf(bank, streamId, options, "all");
    if (raced !== undefined) return raced;
    throw error;
  }
}

async function decideAndAppend<S, C, Ev extends BankingEventShape, E extends DomainErrorShape>(
  bank: Bank,
  handler: CommandHandler<S, C, E, RecordedBankingEvent>,
  decider: Decider<S, C, Ev, E>,
  streamId: string,
  command: C,
  options: ExecuteOptions,
): Promise<Applied> {
  const eventIds = options.eventId === undefined ? undefined : [options.eventId];
  const metadata = options.fingerprint === undefined ? options.metadata : { ...options.metadata, [FINGERPRINT_KEY]: options.fingerprint.value };
  if (options.expectedVersion === undefined) {
    const result = await handler.handle(streamId, command, { ...(eventIds === undefined ? {} : { eventIds }), ...(metadata === undefined ? {} : { metadata }) });
    if (result.status === "rejected") throw new DomainRejection(streamId, result.error);
    return { streamId, version: result.nextExpectedVersion, events: result.events };
  }
  const expected = options.expectedVersion;
  const current = await handler.load(streamId);
  if (current.version !== expected) throw new StreamConflictError({ streamId, expectedVersion: expected, actualVersion: current.version });
  const decision = decider.decide(command, current.state);
  if (isRejection(decision)) throw new DomainRejection(streamId, decision.error);
  if (decision.length === 0) return { streamId, version: current.version, events: [] };
  const toAppend = decision.map((event, index) => ({
    type: event.type,
    data: event.data,
    ...(eventIds?.[index] === undefined ? {} : { id: eventIds[index] }),
    ...(metadata === undefined ? {} : { metadata }),
  })) as unknown as readonly NewEvent<BankingEvent>[];
  // The append re-checks the version atomically: a write between the load and here conflicts.
  const appended = await bank.store.append(streamId, toAppend, { expectedVersion: expected === 0 ? "no_stream" : expected });
  return { streamId, version: appended.nextExpectedVersion, events: appended.events };
}
