/**
 * Type tests: a decider's `evolve` receives events as the store reads them (`x-pii` fields
 * `T | Erased`), while `decide` still writes plaintext events. Every `@ts-expect-error` below fails
 * the type check if the line it marks ever compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { Erased } from "../crypto/erased.js";
import { ERASED, isErased } from "../crypto/erased.js";
import type { EventRegistry, EventShape } from "../registry.js";
import type { EventStore } from "../store/event-store.js";
import { given } from "../testing/decider-spec.js";
import { createCommandHandler, handleCommand } from "./command-handler.js";
import type { Decider, DeciderEvent, DeciderFor, DeciderReadEvent } from "./decider.js";
import { defineDecider, foldEvents, reject } from "./decider.js";
import { loadAggregate } from "./load-aggregate.js";
import { createInMemoryStreams } from "./testing/in-memory-streams.js";

type Registered = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string }>;
type RegisteredRead = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string | Erased }>;
type Renamed = EventShape<"CustomerRenamed", { readonly name: string }>;
type RenamedRead = EventShape<"CustomerRenamed", { readonly name: string | Erased }>;
type Noted = EventShape<"NoteAdded", { readonly note: string }>;

/** A registry with personal data, as a generated package declares it. */
type People = EventRegistry<Registered | Renamed | Noted, RegisteredRead | RenamedRead | Noted>;
declare const store: EventStore<Registered | Renamed | Noted, RegisteredRead | RenamedRead | Noted>;

type State = { readonly customerId: string | null; readonly renamed: number };
type Command = { readonly type: "Register"; readonly customerId: string; readonly name: string } | { readonly type: "Rename"; readonly name: string };
type Error = { readonly code: "exists" };
type CustomerDecider = DeciderFor<People, State, Command, Error, "CustomerRegistered" | "CustomerRenamed">;

const base = { name: "customer", stateVersion: 1, initialState: { customerId: null, renamed: 0 } } as const;
const decide = (command: Command, state: State) =>
  command.type === "Register"
    ? state.customerId === null
      ? [{ type: "CustomerRegistered" as const, data: { customerId: command.customerId, name: command.name } }]
      : reject({ code: "exists" as const })
    : [{ type: "CustomerRenamed" as const, data: { name: command.name } }];

describe("decider read types", () => {
  it("derives the written and the read events of the chosen types from a registry", () => {
    expectTypeOf<DeciderEvent<CustomerDecider>>().toEqualTypeOf<
      { readonly type: "CustomerRegistered"; readonly data: Registered["data"] } | { readonly type: "CustomerRenamed"; readonly data: Renamed["data"] }
    >();
    expectTypeOf<DeciderReadEvent<CustomerDecider>>().toEqualTypeOf<
      { readonly type: "CustomerRegistered"; readonly data: RegisteredRead["data"] } | { readonly type: "CustomerRenamed"; readonly data: RenamedRead["data"] }
    >();
    const all: DeciderReadEvent<DeciderFor<People, State, Command>>["type"] = "NoteAdded";
    void all;
  });

  it("refuses an x-pii field used as plain string in evolve, and accepts it once narrowed with isErased", () => {
    defineDecider<CustomerDecider>({
      ...base,
      evolve: (state, event) => {
        switch (event.type) {
          case "CustomerRegistered":
            // @ts-expect-error `name` may be the erased marker, which has no toUpperCase
            void event.data.name.toUpperCase();
            return { ...state, customerId: event.data.customerId };
          case "CustomerRenamed": {
            // @ts-expect-error an erased name is not a string
            const name: string = event.data.name;
            void name;
            return { ...state, renamed: state.renamed + (isErased(event.data.name) ? 0 : event.data.name.length) };
          }
        }
      },
      decide,
    });
  });

  it("refuses an evolve declared over the written types", () => {
    const writtenEvolve = (state: State, event: Registered | Renamed): State => (event.type === "CustomerRegistered" ? { ...state, customerId: event.data.customerId } : state);
    // @ts-expect-error evolve takes `name: string`, the store reads `string | Erased`
    defineDecider<CustomerDecider>({ ...base, evolve: writtenEvolve, decide });
  });

  it("keeps decide on the written types: a decided event cannot carry the erased marker", () => {
    defineDecider<CustomerDecider>({
      ...base,
      evolve: (state) => state,
      // @ts-expect-error decided events are written as plaintext; ERASED is not a name
      decide: () => [{ type: "CustomerRenamed", data: { name: ERASED } }],
    });
    defineDecider<Decider<State, Command, Registered | Renamed, Error, RegisteredRead | RenamedRead>>({
      ...base,
      evolve: (state) => state,
      // @ts-expect-error the same with both unions spelt out
      decide: () => [{ type: "CustomerRegistered", data: { customerId: "c", name: ERASED } }],
    });
  });

  it("refuses a read union that does not cover the written one", () => {
    // @ts-expect-error decide may write `CustomerRegistered`, which evolve does not read
    defineDecider<Decider<State, Command, Registered | Renamed, Error, RenamedRead>>({ ...base, evolve: (state) => state, decide: () => [] });
  });

  it("lets a store with personal data load and command only deciders whose evolve takes the read types", () => {
    const customer = defineDecider<CustomerDecider>({ ...base, evolve: (state) => state, decide });
    const handler = createCommandHandler({ store, decider: customer });
    expectTypeOf(handler.load).returns.resolves.toHaveProperty("state").toEqualTypeOf<State>();
    void loadAggregate(store, customer, "customer-1");
    void handleCommand(store, customer, "customer-1", { type: "Rename", name: "Ada" });

    const written = defineDecider<State, Command, Registered | Renamed, Error>({ ...base, evolve: (state) => state, decide });
    expectTypeOf(written).toEqualTypeOf<Decider<State, Command, Registered | Renamed, Error, Registered | Renamed>>();
    // @ts-expect-error evolve would receive `name: string | Erased` as `string`
    createCommandHandler({ store, decider: written });
    // @ts-expect-error the same for a load
    void loadAggregate(store, written, "customer-1");
    // @ts-expect-error and for a one-off command
    void handleCommand(store, written, "customer-1", { type: "Rename", name: "Ada" });
    // A store without typed events cannot be checked: the written-typed decider still runs on it.
    createCommandHandler({ store: createInMemoryStreams(), decider: written });
  });

  it("gives past events as read and expects decided events as written in given/when/then", () => {
    const customer = defineDecider<CustomerDecider>({ ...base, evolve: (state) => state, decide });
    given(customer, [{ type: "CustomerRegistered", data: { customerId: "c", name: ERASED } }])
      .when({ type: "Rename", name: "Ada" })
      .then([{ type: "CustomerRenamed", data: { name: "Ada" } }]);
    // @ts-expect-error a decided event is never erased
    given(customer, []).when({ type: "Rename", name: "Ada" }).then([{ type: "CustomerRenamed", data: { name: ERASED } }]);
    // @ts-expect-error "NoteAdded" is not an event of this decider
    given(customer, [{ type: "NoteAdded", data: { note: "x" } }]);
    expectTypeOf(foldEvents(customer, customer.initialState, [{ type: "CustomerRenamed", data: { name: ERASED } }])).toEqualTypeOf<State>();
  });
});
