/**
 * The decider model: an aggregate is an initial state, a pure `evolve` over the latest event
 * union as read and a pure `decide` that turns a command into events as written, or a typed
 * domain error.
 *
 * @module
 */
import type { EventRegistry, EventShape, RegistryEvent, RegistryReadEvent, SchemaValidator } from "../registry.js";
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
 * `TEvent` is the event union as written: what `decide` returns and the store appends.
 * `TReadEvent` is the same union as read back from the store, where personal-data fields are
 * `T | Erased` (an erased data subject's fields read back as `ERASED`); `evolve` receives it, so
 * state built from an erased field must handle the marker. It defaults to `TEvent` for events
 * without personal data. {@link DeciderFor} derives both from a registry.
 *
 * `evolve` and `decide` must be pure and must not mutate their inputs (a snapshot or a cached
 * state may be shared).
 */
export interface Decider<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape = never, TReadEvent extends EventShape = TEvent> {
  /** Names the aggregate kind; snapshots are keyed by it. */
  readonly name: string;
  /**
   * Version of `evolve` and of the state's shape. Bump it whenever either changes: snapshots
   * taken with another version are ignored and the state is rebuilt from the stream.
   */
  readonly stateVersion: number;
  /** The state before the first event. */
  readonly initialState: TState;
  /**
   * Applies one event, as read (latest schema version, personal-data fields possibly `Erased`), to
   * the state. Switch over `event.type` exhaustively.
   */
  readonly evolve: (state: TState, event: TReadEvent) => TState;
  /** Turns a command into the events to append (as written: plaintext), or refuses it with {@link reject}. */
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

/** The event union of a decider, as written (what `decide` returns). */
export type DeciderEvent<D> = D extends Decider<infer _S, infer _C, infer E, infer _X, infer _R> ? E : never;
/** The event union of a decider as read (what `evolve` receives: personal-data fields possibly `Erased`). */
export type DeciderReadEvent<D> = D extends Decider<infer _S, infer _C, infer _E, infer _X, infer R> ? R : never;
/** The state type of a decider. */
export type DeciderState<D> = D extends Decider<infer S, infer _C, infer _E, infer _X, infer _R> ? S : never;
/** The command type of a decider. */
export type DeciderCommand<D> = D extends Decider<infer _S, infer C, infer _E, infer _X, infer _R> ? C : never;
/** The domain error type of a decider. */
export type DeciderError<D> = D extends Decider<infer _S, infer _C, infer _E, infer X, infer _R> ? X : never;

/** An event as plain `{ type, data }` (generated event classes also carry `schemaVersion`, which the store adds itself). */
type PlainEvent<E> = E extends EventShape ? { readonly type: E["type"]; readonly data: E["data"] } : never;

/**
 * The decider type for the events `TType` of a registry (all of them by default): `decide`
 * returns them as written, `evolve` receives them as read. Pass it to {@link defineDecider}.
 *
 * @example
 * ```ts
 * type CustomerDecider = DeciderFor<typeof bankingRegistry, CustomerState, CustomerCommand, CustomerError, "CustomerRegistered">;
 * export const customerDecider = defineDecider<CustomerDecider>({ ... });
 * ```
 */
export type DeciderFor<R extends EventRegistry<EventShape>, TState, TCommand, TError extends DomainErrorShape = never, TType extends RegistryEvent<R>["type"] = RegistryEvent<R>["type"]> = Decider<TState, TCommand, PlainEvent<Extract<RegistryEvent<R>, { readonly type: TType }>>, TError, PlainEvent<Extract<RegistryReadEvent<R>, { readonly type: TType }>>>;

// `any` is the only state type that every decider fits (the state is both read and returned).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, never, EventShape, DomainErrorShape, never>;

/** `unknown` when every event `decide` writes is one `evolve` reads; an object type naming the others otherwise. */
type ReadUnionCovers<D> = [DeciderEvent<D>] extends [DeciderReadEvent<D>]
  ? unknown
  : { readonly "decide writes events that evolve does not read": Exclude<DeciderEvent<D>, DeciderReadEvent<D>> };

/**
 * Declares a decider. Pass its type explicitly so that `evolve` and `decide` are checked against
 * the event unions: a misspelt event type, a wrong data shape, a missing `case` in `evolve`, or a
 * personal-data field used in `evolve` without an `isErased` check fails to compile.
 *
 * Two forms:
 * - `defineDecider<DeciderFor<typeof registry, State, Command, Error, Types>>({ ... })`, the usual one
 *   for a generated registry; `defineDecider<Decider<State, Command, Event, Error, ReadEvent>>` spells
 *   both unions out instead.
 * - `defineDecider<State, Command, Event, Error>({ ... })` for events without personal data: `evolve`
 *   reads the events as written.
 *
 * @example
 * ```ts
 * const customer = defineDecider<DeciderFor<typeof bankingRegistry, CustomerState, CustomerCommand, CustomerError, "CustomerRegistered">>({
 *   name: "customer",
 *   stateVersion: 1,
 *   initialState: { customerId: null },
 *   // event.data.name is `string | Erased` here; the state keeps only the (non-personal) id.
 *   evolve: (_state, event) => ({ customerId: event.data.customerId }),
 *   decide: (command, state) => (state.customerId === null ? [{ type: "CustomerRegistered", data: command.data }] : reject({ code: "customer_exists" })),
 * });
 * const counter = defineDecider<number, { add: number }, Added>({
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
): Decider<TState, TCommand, TEvent, TError>;
/** Declares a decider of the type `D`, usually a {@link DeciderFor}; see the first overload. */
export function defineDecider<D extends AnyDecider = never>(decider: NoInfer<D> & ReadUnionCovers<D>): D;
// The four-argument form comes first: a call that fails to compile is typed by the first overload,
// which then keeps `event` typed in `evolve` for editors and lint rules. (A `TReadEvent = TEvent`
// default would not: TypeScript leaves such a default uninstantiated on a failed call.) `D`
// defaults to `never` so that a call without type arguments never matches the second form, which
// would otherwise accept any object as an untyped decider.
export function defineDecider(decider: AnyDecider): AnyDecider {
  if (!Number.isInteger(decider.stateVersion) || decider.stateVersion < 1) {
    throw new InvalidArgumentError(`Decider "${decider.name}": stateVersion must be a positive integer, got ${String(decider.stateVersion)}.`);
  }
  return Object.freeze({ ...decider });
}

/** Folds events, as read, into a state with the decider's `evolve`. */
export function foldEvents<TState, TReadEvent extends EventShape>(
  decider: { readonly evolve: (state: TState, event: TReadEvent) => TState },
  state: TState,
  events: Iterable<TReadEvent>,
): TState {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
