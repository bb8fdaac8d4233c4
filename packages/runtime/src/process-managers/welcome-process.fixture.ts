/**
 * Test fixture: a process per account of the test registry. On opening it sends a welcome bonus
 * and schedules an "expire" deadline; a total of 100 deposited cancels it and ends the process;
 * the deadline closes the account. An owner named "refused" gets its bonus refused, which the
 * process answers with a "sorry" command.
 */
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { EventStore } from "../store/event-store.js";
import { defineProcessManager } from "./process-manager.js";
import type { ProcessDecision } from "./process-manager.js";
import type { DispatchContext, DispatchOutcome } from "./process-step-runner.js";

/** The commands the process sends. */
export type WelcomeCommand =
  | { readonly type: "bonus"; readonly streamId: string; readonly amount: number }
  | { readonly type: "close"; readonly streamId: string }
  | { readonly type: "sorry"; readonly streamId: string };

/** Its state. */
export interface WelcomeState {
  readonly deposited: number;
  readonly refused: boolean;
}

/** The process manager. */
export const welcomeProcess = defineProcessManager(testRegistry, {
  name: "welcome",
  handles: ["AccountOpened", "MoneyDeposited"],
  processId: (event) => event.streamId,
  initialState: { deposited: 0, refused: false } as WelcomeState,
  decide: (input, state, processId): ProcessDecision<WelcomeState, WelcomeCommand> => {
    switch (input.kind) {
      case "event":
        if (input.event.type === "AccountOpened") {
          const amount = input.event.data.owner === "refused" ? 0 : 5;
          return { commands: [{ key: "bonus", command: { type: "bonus", streamId: processId, amount } }], schedule: [{ key: "expire", afterMs: 1_000, data: { why: "no deposit" } }] };
        }
        if (input.event.type === "MoneyDeposited") {
          const deposited = state.deposited + input.event.data.amount;
          return deposited >= 100 ? { state: { ...state, deposited }, cancel: ["expire"], done: true } : { state: { ...state, deposited } };
        }
        return {};
      case "rejected":
        return { state: { ...state, refused: true }, commands: [{ key: "sorry", command: { type: "sorry", streamId: processId } }] };
      case "deadline":
        return { commands: [{ key: "close", command: { type: "close", streamId: processId } }], done: true };
    }
  },
});

/** Called before each dispatch; may throw to simulate a crash. */
export type BeforeDispatch = (command: WelcomeCommand, context: DispatchContext) => void;

/** A dispatcher over `store` that records every call; `hooks.before` may throw to simulate a crash. */
export function welcomeDispatch(store: EventStore, hooks: { before?: BeforeDispatch } = {}) {
  const calls: { readonly command: WelcomeCommand; readonly commandId: string }[] = [];
  const dispatch = async (command: WelcomeCommand, context: DispatchContext): Promise<DispatchOutcome> => {
    hooks.before?.(command, context);
    calls.push({ command, commandId: context.commandId });
    switch (command.type) {
      case "bonus":
        if (command.amount === 0) return { status: "rejected", error: { code: "zero_bonus" } };
        await store.append(command.streamId, [{ id: context.commandId, type: "MoneyDeposited", data: { amount: command.amount, currency: "EUR" } }]);
        return { status: "accepted" };
      case "close":
        await store.append(command.streamId, [{ id: context.commandId, type: "AccountClosed", data: { reason: "expired" } }]);
        return { status: "accepted" };
      case "sorry":
        return { status: "accepted" };
    }
  };
  return { dispatch, calls };
}
