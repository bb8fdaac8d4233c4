/**
 * The decider model: an aggregate is an initial state, a pure `evolve` over the latest event
 * union and a pure `decide` that turns a command into events or a typed domain error.
 *
 * @module
 */
import type { EventShape, SchemaValidator } from "../registry.js";
import { InvalidArgumentError } from "../errors.js";

/** What every domain error must carry: a stable, machine-readable code. */
export interface DomainErrorShape {
  readonly code: string;
}

/** A decision that refuses the command with a domain error. Build it with {@link reject}. */
export interface Rejection<TError extends DomainErrorShape> {
  readonly kind: "rejected";
  readonly error: TError;
}

/** What `decide` returns: the events to append (possibly none) or a rejection. */
export type Decision<TEvent extends EventShape, TError extends DomainErrorShape> = readonly TEvent[] | Rejection<TError>;

/**
 * Refuses a command with a typed domain error. Return it from `decide`.
 *
 * @example
 * ```ts
 * if (state.balance < command.amount) return reject({ code: "insufficient_funds", balance: state.balance });
 * ```
 */
export function reject<const TError extends DomainErrorShape>(error: TError): Rejection<TError> {
  return { kind: "rejected", error };
}

/** True when a decision is a rejection rather than a list of events. */
export function isRejection<TEvent extends EventShape, TError extends DomainErrorShape>(
  decision: Decision<TEvent, TError>,
): decision is Rejection<TError> {
  return !Array.isArray(decision);
}

/**
 * A decider: everything the runtime needs to load, snapshot and command one kind of aggregate.
 *
 * `evolve` and `decide` must be pure and must not mutate their inputs (a snapshot or a cached
 * state may be shared).
 */
export interface Decider<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape = never> {
  /** Names the aggregate kind; snapshots are keyed by it. */
  readonly name: string;
  /**
   * Version of `evolve` and of the state's shape. Bump it whenever either changes: snapshots
   * taken with another version are ignored and the state is rebuilt from the stream.
   */
  readonly stateVersion: number;
  /** The state before the first event. */
  readonly initialState: TState;
  /** Applies one event (latest schema version) to the state. Switch over `event.type` exhaustively. */
  readonly evolve: (state: TState, event: TEvent) => TState;
  /** Turns a command into the events to append, or refuses it with {@link reject}. */
  readonly decide: (command: TCommand, state: TState) => Decision<TEvent, TError>;
  /** Validates a decoded snapshot; one that fails is ignored and the state rebuilt from the stream. */
  readonly stateSchema?: SchemaValidator<TState>;
  /**
   * Ids of the data subjects whose personal data the state holds in plaintext. Snapshots record
   * them so that erasing a subject deletes every snapshot holding that subject's data.
   * Required as soon as the state keeps any personal field.
   */
  readonly subjects?: (state: TState) => readonly string[];
}

/** The event union of a decider. */
export type DeciderEvent<D> = D extends Decider<infer _S, infer _C, infer E, infer _X> ? E : never;
/** The state type of a decider. */
export type DeciderState<D> = D extends Decider<infer S, infer _C, infer _E, infer _X> ? S : never;
/** The command type of a decider. */
export type DeciderCommand<D> = D extends Decider<infer _S, infer C, infer _E, infer _X> ? C : never;
/** The domain error type of a decider. */
export type DeciderError<D> = D extends Decider<infer _S, infer _C, infer _E, infer X> ? X : never;

/**
 * Declares a decider. Pass the type arguments explicitly so that `evolve` and `decide` are
 * checked against the event union: a misspelt event type, a wrong data shape or a missing
 * `case` in `evolve` fails to compile.
 *
 * @example
 * ```ts
 * const counter = defineDecider<number, { add: number }, Added, never>({
 *   name: "counter",
 *   stateVersion: 1,
 *   initialState: 0,
 *   evolve: (state, event) => state + event.data.by,
 *   decide: (command) => [{ type: "Added", data: { by: command.add } }],
 * });
 * ```
 */
export function defineDecider<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape = never>(
  decider: Decider<TState, TCommand, TEvent, TError>,
): Decider<TState, TCommand, TEvent, TError> {
  if (!Number.isInteger(decider.stateVersion) || decider.stateVersion < 1) {
    throw new InvalidArgumentError(`Decider "${decider.name}": stateVersion must be a positive integer, got ${String(decider.stateVersion)}.`);
  }
  return Object.freeze({ ...decider });
}

/** Folds events into a state with the decider's `evolve`. */
export function foldEvents<TState, TEvent extends EventShape>(
  decider: Pick<Decider<TState, unknown, TEvent, DomainErrorShape>, "evolve">,
  state: TState,
  events: Iterable<TEvent>,
): TState {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
