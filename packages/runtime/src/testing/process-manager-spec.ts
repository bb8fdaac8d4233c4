/**
 * Given/When/Then for process managers: given the inputs a process already answered, when one
 * more arrives, then this decision. Pure, like the decider spec: `decide` is folded over the given
 * inputs (state carried from step to step; a step marked `done` ends the process), then called
 * for the `when` input. Deadlines are delivered as the runner delivers them: only while
 * scheduled (not yet fired, cancelled or dropped by `done`); any other deadline input is ignored.
 *
 * @module
 */
import type { ProcessDecision, ProcessInput, ProcessManager } from "../process-managers/process-manager.js";
import { assertDeepEqual } from "./assert-deep-equal.js";

/** What is expected of the last decision. Fields left out are not checked; `ignored` expects no step at all (the process is done, or the deadline is not scheduled). */
export type ProcessExpectation<S, C> =
  | "ignored"
  | {
      readonly state?: S;
      readonly commands?: readonly { readonly key: string; readonly command: C }[];
      readonly schedule?: readonly { readonly key: string; readonly afterMs?: number; readonly at?: Date; readonly data?: unknown }[];
      readonly cancel?: readonly string[];
      readonly done?: boolean;
    };

/** The `when` step of a process manager spec. */
export interface ProcessWhen<S, C, Ev> {
  when(input: ProcessInput<Ev, C>): ProcessThen<S, C>;
}

/** The `given` step of a process manager spec. */
export interface ProcessGiven<S, C, Ev> {
  /** The inputs the process already answered, oldest first. */
  given(inputs: readonly ProcessInput<Ev, C>[]): ProcessWhen<S, C, Ev>;
}

/** The `then` step. Not a promise: call `then(expected)`, do not `await`. */
export interface ProcessThen<S, C> {
  /** Asserts the decision field by field (commands, schedule, cancel, state, done); throws an `AssertionError` with a diff. */
  then(expected: ProcessExpectation<S, C>): void;
}

/** An event input, for `given` and `when`. */
export const eventInput = <Ev>(event: Ev): ProcessInput<Ev, never> => ({ kind: "event", event });
/** A refused command input. */
export const rejectedInput = <C>(commandKey: string, command: C, error: unknown): ProcessInput<never, C> => ({ kind: "rejected", commandKey, command, error });
/** A deadline input. */
export const deadlineInput = (key: string, data: unknown = null): ProcessInput<never, never> => ({ kind: "deadline", key, data });

/**
 * Starts a process manager spec for process `processId` from the inputs it already answered.
 *
 * @example
 * ```ts
 * processManagerSpec(payments, "order-1").given([eventInput(orderPlaced)])
 *   .when(deadlineInput("expire")).then({ commands: [{ key: "cancel-order", command: { type: "CancelOrder" } }], done: true });
 * ```
 */
export function processManagerSpec<S, C, Ev extends { readonly type: string }>(manager: ProcessManager<S, C, Ev>, processId = "process-1"): ProcessGiven<S, C, Ev> {
  return {
    given(inputs) {
      return {
        when(input) {
          let state = manager.initialState;
          let done = false;
          // The deadline keys scheduled and not yet fired or cancelled, as the runner keeps them.
          const live = new Set<string>();
          const delivered = (next: ProcessInput<Ev, C>): boolean => !done && (next.kind !== "deadline" || live.has(next.key));
          for (const past of inputs) {
            if (!delivered(past)) continue;
            const decision = manager.decide(past, state, processId);
            if (past.kind === "deadline") live.delete(past.key);
            for (const key of decision.cancel ?? []) live.delete(key);
            for (const deadline of decision.schedule ?? []) live.add(deadline.key);
            state = decision.state ?? state;
            done = decision.done ?? false;
          }
          const decision: ProcessDecision<S, C> | "ignored" = delivered(input) ? manager.decide(input, state, processId) : "ignored";
          const header = `${manager.name}: given ${inputs.length} input(s), the ${input.kind} input was`;
          return {
            then(expected) {
              if (typeof expected === "function") throw new TypeError(`${manager.name}: a process manager spec is not a promise; call .then(expected) instead of awaiting it.`);
              if (expected === "ignored" || decision === "ignored") {
                assertDeepEqual(decision === "ignored" ? "ignored" : "decided", expected === "ignored" ? "ignored" : "decided", `${header} ${decision === "ignored" ? "ignored" : "decided"}:`);
                return;
              }
              const actual = { commands: decision.commands ?? [], schedule: decision.schedule ?? [], cancel: decision.cancel ?? [], done: decision.done ?? false, state: decision.state ?? state };
              for (const field of ["commands", "schedule", "cancel", "done", "state"] as const) {
                if (expected[field] !== undefined) assertDeepEqual(actual[field], expected[field], `${header} decided other ${field}:`);
              }
            },
          };
        },
      };
    },
  };
}
