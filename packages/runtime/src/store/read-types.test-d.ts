/**
 * Type tests: a store opened on a registry with personal data reads `x-pii` fields as `T | Erased`,
 * so a reader must handle an erased subject at compile time, while appends keep the written types.
 * Every `@ts-expect-error` below fails the type check if the line it marks ever compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { Erased } from "../crypto/erased.js";
import { isErased } from "../crypto/erased.js";
import type { PersonalDataStore } from "../erasure/create-personal-data-store.js";
import { defineProjection } from "../projections/projection.js";
import { defineRegistry } from "../registry.js";
import type { EventShape } from "../registry.js";
import type { createEventStore } from "./create-event-store.js";
import type { EventStore } from "./event-store.js";
import type { RecordedEvent } from "./recorded-event.js";

type Registered = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string }>;
type RegisteredRead = EventShape<"CustomerRegistered", { readonly customerId: string; readonly name: string | Erased }>;
type Renamed = EventShape<"CustomerRenamed", { readonly name: string }>;

const registry = defineRegistry<Registered | Renamed, RegisteredRead | Renamed>({ context: "people", events: {} });
type Store = Awaited<ReturnType<typeof createEventStore<typeof registry>>>;
declare const store: Store;

describe("store read types", () => {
  it("reads x-pii fields as T | Erased and refuses them without an isErased check", async () => {
    for await (const e of store.readStream("customer-1")) {
      // @ts-expect-error `name` may be the erased marker, which has no toUpperCase
      if (e.type === "CustomerRegistered") e.data.name.toUpperCase();
    }
    const page = await store.readAll();
    for (const e of page.events) {
      // @ts-expect-error readAll reads the same types as readStream
      if (e.type === "CustomerRegistered") e.data.name.toUpperCase();
    }
  });

  it("compiles once the reader narrows with isErased", async () => {
    const names: string[] = [];
    for await (const e of store.readStream("customer-1")) {
      if (e.type === "CustomerRegistered") names.push(isErased(e.data.name) ? "(erased)" : e.data.name.toUpperCase());
      // A field that is not personal data stays plain.
      if (e.type === "CustomerRegistered") names.push(e.data.customerId.toUpperCase());
    }
    expectTypeOf(names).toEqualTypeOf<string[]>();
  });

  it("appends the written types: the erased marker is not a name", () => {
    void store.append("customer-1", [{ type: "CustomerRegistered", data: { customerId: "c", name: "Ada" } }]);
    // @ts-expect-error appends take data as written
    void store.append("customer-1", [{ type: "CustomerRegistered", data: { customerId: "c", name: { $erased: true } } }]);
    expectTypeOf<Awaited<ReturnType<Store["append"]>>["events"][number]["data"]>().toEqualTypeOf<Registered["data"] | Renamed["data"]>();
  });

  it("does not pass for a store that reads the written types", () => {
    // @ts-expect-error a store reading `T | Erased` is not one reading `T`
    const narrowed: EventStore<Registered | Renamed> = store;
    void narrowed;
    const personal = {} as PersonalDataStore<Registered | Renamed, RegisteredRead | Renamed>;
    expectTypeOf(personal.events.readStream).returns.toEqualTypeOf<AsyncIterable<RecordedEvent<RegisteredRead | Renamed>>>();
  });

  it("hands projection handlers the read types", () => {
    defineProjection(registry, {
      name: "people",
      version: 1,
      handles: ["CustomerRegistered"],
      migrations: {},
      handle: async (events) => {
        for (const event of events) {
          // @ts-expect-error `name` may be erased
          event.data.name.toUpperCase();
          if (!isErased(event.data.name)) event.data.name.toUpperCase();
        }
        await Promise.resolve();
      },
    });
  });
});
