import { expectTypeOf, test } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { defineProjection } from "./projection.js";
import { defineSubscription } from "./subscription.js";

const noMigrations = {};

test("a handler sees only the declared types, with their latest data", () => {
  defineProjection(testRegistry, {
    name: "deposits",
    version: 1,
    handles: ["MoneyDeposited"],
    migrations: noMigrations,
    handle: async (events) => {
      for (const event of events) {
        expectTypeOf(event.type).toEqualTypeOf<"MoneyDeposited">();
        expectTypeOf(event.data).toEqualTypeOf<{ amount: number; currency: string }>();
      }
    },
  });
});

test("an unknown event type or a wrong field fails to compile", () => {
  defineProjection(testRegistry, {
    name: "x",
    version: 1,
    // @ts-expect-error "MoneyWithdrawn" is not an event of the registry
    handles: ["MoneyWithdrawn"],
    migrations: noMigrations,
    handle: async () => undefined,
  });
  defineSubscription(testRegistry, {
    name: "y",
    handles: ["AccountOpened"],
    handle: async (events) => {
      // @ts-expect-error AccountOpened has no amount
      void events[0]?.data.amount;
    },
  });
});

test("the handler's db is typed by the read model", () => {
  defineProjection<typeof testRegistry, "AccountOpened", { owners: { account: string } }>(testRegistry, {
    name: "owners",
    version: 1,
    handles: ["AccountOpened"],
    migrations: noMigrations,
    handle: async (_events, { db }) => {
      await db.insertInto("owners").values({ account: "a" }).execute();
      // @ts-expect-error no such table
      await db.insertInto("nope").values({ account: "a" }).execute();
    },
  });
});

test("a projection may handle the system event $strata.SubjectErased, typed", () => {
  defineProjection(testRegistry, {
    name: "scrubbing",
    version: 1,
    handles: ["AccountOpened", "$strata.SubjectErased"],
    migrations: noMigrations,
    handle: async (events) => {
      for (const event of events) {
        if (event.type === "$strata.SubjectErased") expectTypeOf(event.data.subjectId).toEqualTypeOf<string>();
        else expectTypeOf(event.type).toEqualTypeOf<"AccountOpened">();
      }
    },
  });
});
