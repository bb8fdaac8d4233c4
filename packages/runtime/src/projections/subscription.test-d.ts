/**
 * Type tests: an outbox subscription's handler receives the events as read, like a projection's:
 * `x-pii` fields are `T | Erased`, and `$strata.SubjectErased` may be handled. Every
 * `@ts-expect-error` below fails the type check if the line it marks ever compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { Erased } from "../crypto/erased.js";
import { isErased } from "../crypto/erased.js";
import { defineRegistry } from "../registry.js";
import type { EventShape } from "../registry.js";
import type { ProjectableEvent } from "./projection.js";
import type { Subscription } from "./subscription.js";
import { defineSubscription } from "./subscription.js";

type Registered = EventShape<"CustomerRegistered", { readonly customerId: string; readonly email: string }>;
type RegisteredRead = EventShape<"CustomerRegistered", { readonly customerId: string; readonly email: string | Erased }>;
type Closed = EventShape<"AccountClosed", { readonly accountId: string }>;

const registry = defineRegistry<Registered | Closed, RegisteredRead | Closed>({ context: "people", events: {} });
declare function send(to: string): Promise<void>;

describe("subscription read types", () => {
  it("hands the handler the read types: an x-pii field is `T | Erased`", () => {
    defineSubscription(registry, {
      name: "welcome-mails",
      handles: ["CustomerRegistered"],
      handle: async (events) => {
        for (const event of events) {
          expectTypeOf(event.data).toEqualTypeOf<RegisteredRead["data"]>();
          expectTypeOf(event.data.customerId).toEqualTypeOf<string>();
        }
        await Promise.resolve();
      },
    });
  });

  it("refuses an x-pii field used as plain string, and accepts it once narrowed with isErased", () => {
    defineSubscription(registry, {
      name: "welcome-mails",
      handles: ["CustomerRegistered"],
      handle: async (events) => {
        for (const event of events) {
          // @ts-expect-error `email` may be the erased marker
          await send(event.data.email);
          // @ts-expect-error the erased marker has no string methods
          void event.data.email.toLowerCase();
          if (!isErased(event.data.email)) await send(event.data.email);
        }
      },
    });
  });

  it("may handle $strata.SubjectErased, typed", () => {
    const erasures = defineSubscription(registry, {
      name: "erasure-forwarder",
      handles: ["CustomerRegistered", "$strata.SubjectErased"],
      handle: async (events) => {
        for (const event of events) {
          if (event.type === "$strata.SubjectErased") expectTypeOf(event.data.subjectId).toEqualTypeOf<string>();
          else expectTypeOf(event.data.email).toEqualTypeOf<string | Erased>();
        }
        await Promise.resolve();
      },
    });
    expectTypeOf(erasures).toEqualTypeOf<Subscription<ProjectableEvent<typeof registry>, "CustomerRegistered" | "$strata.SubjectErased">>();
  });

  it("refuses a type outside the registry and a handler typed with the written events", () => {
    defineSubscription(registry, {
      name: "x",
      // @ts-expect-error "MoneyWithdrawn" is not an event of the registry
      handles: ["MoneyWithdrawn"],
      handle: async () => undefined,
    });
    const written = async (events: readonly { readonly data: Registered["data"] }[]): Promise<void> => {
      for (const event of events) await send(event.data.email);
    };
    defineSubscription(registry, {
      name: "y",
      handles: ["CustomerRegistered"],
      // @ts-expect-error the handler would read `email: string | Erased` as `string`
      handle: written,
    });
  });
});
