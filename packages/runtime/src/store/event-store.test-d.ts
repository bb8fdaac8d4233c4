import { describe, expectTypeOf, it } from "vitest";
import type { TestEvent } from "../../test/fixtures/test-registry.js";
import type { EventStore } from "./event-store.js";
import type { NewEvent, RecordedEvent } from "./recorded-event.js";

declare const store: EventStore<TestEvent>;

describe("event store typing", () => {
  it("accepts only the registry's event shapes on append", () => {
    void store.append("s", [{ type: "MoneyDeposited", data: { amount: 1, currency: "EUR" } }]);
    // @ts-expect-error: unknown event type
    void store.append("s", [{ type: "Nope", data: {} }]);
    // @ts-expect-error: data of another type
    void store.append("s", [{ type: "MoneyDeposited", data: { owner: "Ada" } }]);
    // @ts-expect-error: missing a required field of the latest version
    void store.append("s", [{ type: "MoneyDeposited", data: { amount: 1 } }]);
    // @ts-expect-error: an expected version that is not a mode
    void store.append("s", [{ type: "AccountOpened", data: { owner: "Ada" } }], { expectedVersion: "latest" });
  });

  it("narrows recorded events by type", () => {
    expectTypeOf<NewEvent<TestEvent>["type"]>().toEqualTypeOf<"AccountOpened" | "MoneyDeposited" | "AccountClosed">();
    const handle = (event: RecordedEvent<TestEvent>): string | number => {
      switch (event.type) {
        case "MoneyDeposited":
          return event.data.currency;
        case "AccountOpened":
          return event.data.owner;
        case "AccountClosed":
          return event.data.reason;
      }
    };
    void handle;
    expectTypeOf<RecordedEvent<TestEvent>["globalPosition"]>().toEqualTypeOf<bigint>();
  });
});
