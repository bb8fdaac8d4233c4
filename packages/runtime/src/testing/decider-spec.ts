/**
 * Given/When/Then for deciders: given past events, when a command is decided, then these events
 * (or this domain error). Pure: no store, no I/O, so a spec runs in microseconds.
 *
 * @module
 */
import type { Decider, DomainErrorShape } from "../aggregate/decider.js";
import { foldEvents, isRejection } from "../aggregate/decider.js";
import type { EventShape } from "../registry.js";
import { assertDeepEqual } from "./assert-deep-equal.js";

/** What a command is expected to produce: its events, a domain error code, or a whole domain error. */
export type DeciderExpectation<TEvent extends EventShape, TError extends DomainErrorShape> =
  | readonly TEvent[]
  | TError["code"]
  | TError;

/** The `when` step of a decider spec. */
export interface DeciderWhen<TCommand, TEvent extends EventShape, TError extends DomainErrorShape> {
  /** Decides `command` against the state folded from the `given` events. */
  when(command: TCommand): DeciderThen<TEvent, TError>;
}

/** The `then` step of a decider spec. Not a promise: call `then(expected)`, do not `await`. */
export interface DeciderThen<TEvent extends EventShape, TError extends DomainErrorShape> {
  /**
   * Asserts the decision: an array is the exact list of events expected; a string is the code
   * of the expected domain error; an object is the whole expected domain error. Throws an
   * `AssertionError` with a diff otherwise.
   */
  then(expected: DeciderExpectation<TEvent, TError>): void;
}

function describeDecision(decision: unknown): string {
  return Array.isArray(decision) ? `${decision.length} event(s)` : "a rejection";
}

/**
 * Starts a decider spec from the events that already happened. They are given as `evolve` reads
 * them, so a spec may give a personal-data field as `ERASED` to check a decider after erasure;
 * the expected events in `then` are as `decide` writes them.
 *
 * @example
 * ```ts
 * given(bankAccount, [opened, deposited(100)]).when({ type: "Withdraw", amount: 150 }).then("insufficient_funds");
 * given(bankAccount, [opened]).when({ type: "Deposit", amount: 5 }).then([deposited(5)]);
 * ```
 */
export function given<TState, TCommand, TEvent extends EventShape, TError extends DomainErrorShape, TReadEvent extends EventShape = TEvent>(
  decider: Decider<TState, TCommand, TEvent, TError, TReadEvent>,
  events: readonly NoInfer<TReadEvent>[],
): DeciderWhen<TCommand, TEvent, TError> {
  return {
    when(command) {
      const state = foldEvents(decider, decider.initialState, events);
      const decision = decider.decide(command, state);
      const header = `${decider.name}: given ${events.length} event(s), the command was decided as ${describeDecision(decision)}`;
      return {
        then(expected) {
          if (typeof expected === "function") {
            throw new TypeError(`${decider.name}: a decider spec is not a promise; call .then(expectedEvents | errorCode) instead of awaiting it.`);
          }
          if (Array.isArray(expected)) {
            assertDeepEqual(isRejection(decision) ? decision : [...decision], [...(expected as readonly TEvent[])], `${header}; expected these events:`);
          } else if (typeof expected === "string") {
            assertDeepEqual(isRejection(decision) ? decision.error.code : decision, expected, `${header}; expected a rejection with this code:`);
          } else {
            assertDeepEqual(isRejection(decision) ? decision.error : decision, expected, `${header}; expected this domain error:`);
          }
        },
      };
    },
  };
}
