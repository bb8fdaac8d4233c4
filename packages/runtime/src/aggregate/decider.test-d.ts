import { describe, expectTypeOf, it } from "vitest";
import type { EventShape } from "../registry.js";
import type { CommandResult } from "./command-handler.js";
import { createCommandHandler } from "./command-handler.js";
import type { DeciderError, DeciderEvent } from "./decider.js";
import { defineDecider, reject } from "./decider.js";
import type { EventStore } from "../store/event-store.js";
import type { RecordedEvent } from "../store/recorded-event.js";
import { createInMemoryStreams } from "./testing/in-memory-streams.js";
import type { LedgerEvent } from "./testing/ledger-decider.js";
import { ledgerDecider } from "./testing/ledger-decider.js";

type Opened = EventShape<"Opened", { readonly owner: string }>;
type Deposited = EventShape<"Deposited", { readonly amount: number }>;
type Event = Opened | Deposited;
type State = { readonly open: boolean; readonly balance: number };
type Command = { readonly type: "Deposit"; readonly amount: number };
type Error = { readonly code: "closed" } | { readonly code: "too_large"; readonly limit: number };

const base = { name: "account", stateVersion: 1, initialState: { open: false, balance: 0 } } as const;

describe("defineDecider typing", () => {
  it("accepts an exhaustive evolve and a decide that returns events of the union or a typed rejection", () => {
    const decider = defineDecider<State, Command, Event, Error>({
      ...base,
      evolve: (state, event) => {
        switch (event.type) {
          case "Opened":
            return { ...state, open: true };
          case "Deposited":
            return { ...state, balance: state.balance + event.data.amount };
        }
      },
      decide: (command, state) => {
        if (!state.open) return reject({ code: "closed" });
        if (command.amount > 100) return reject({ code: "too_large", limit: 100 });
        return [{ type: "Deposited", data: { amount: command.amount } }];
      },
    });
    expectTypeOf<DeciderEvent<typeof decider>>().toEqualTypeOf<Event>();
    expectTypeOf<DeciderError<typeof decider>>().toEqualTypeOf<Error>();
    const handler = createCommandHandler({ store: createInMemoryStreams(), decider });
    expectTypeOf(handler.handle).returns.resolves.toEqualTypeOf<CommandResult<Error>>();
  });

  it("rejects an evolve that misses an event type", () => {
    defineDecider<State, Command, Event, Error>({
      ...base,
      // @ts-expect-error -- "Deposited" is not handled: evolve may return undefined
      evolve: (state, event) => {
        // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the lint rule flags it too; this test proves tsc does
        switch (event.type) {
          case "Opened":
            return { ...state, open: true };
        }
      },
      decide: () => [],
    });
  });

  it("rejects an evolve that handles a type outside the union", () => {
    defineDecider<State, Command, Event, Error>({
      ...base,
      evolve: (state, event) => {
        switch (event.type) {
          case "Opened":
            return state;
          case "Deposited":
            return state;
          // @ts-expect-error -- "Withdrawn" is not an event of this decider
          case "Withdrawn":
            return state;
        }
      },
      decide: () => [],
    });
  });

  it("rejects a decide that returns an unknown event type, a wrong data shape or an undeclared error", () => {
    const evolve = (state: State): State => state;
    defineDecider<State, Command, Event, Error>({
      ...base,
      evolve,
      // @ts-expect-error -- "Withdrawn" is not an event of this decider
      decide: () => [{ type: "Withdrawn", data: { amount: 1 } }],
    });
    defineDecider<State, Command, Event, Error>({
      ...base,
      evolve,
      // @ts-expect-error -- amount must be a number
      decide: () => [{ type: "Deposited", data: { amount: "1" } }],
    });
    defineDecider<State, Command, Event, Error>({
      ...base,
      evolve,
      // @ts-expect-error -- "frozen" is not a declared domain error code
      decide: () => reject({ code: "frozen" }),
    });
  });

  it("rejects a command of the wrong shape at the call site", () => {
    const decider = defineDecider<State, Command, Event, Error>({ ...base, evolve: (state) => state, decide: () => [] });
    const handler = createCommandHandler({ store: createInMemoryStreams(), decider });
    // @ts-expect-error -- amount must be a number
    void handler.handle("s", { type: "Deposit", amount: "5" });
  });

  it("ties the decider's events to the store's registry", () => {
    const ledgerStore = {} as EventStore<LedgerEvent>;
    const handler = createCommandHandler({ store: ledgerStore, decider: ledgerDecider() });
    expectTypeOf(handler.handle).returns.resolves.toMatchTypeOf<{ status: "applied"; events: readonly RecordedEvent<LedgerEvent>[] } | { status: "rejected" }>();

    const account = defineDecider<State, Command, Event, Error>({ ...base, evolve: (state) => state, decide: () => [] });
    // @ts-expect-error -- "Opened" and "Deposited" are not events of the ledger registry
    createCommandHandler({ store: ledgerStore, decider: account });
  });
});
