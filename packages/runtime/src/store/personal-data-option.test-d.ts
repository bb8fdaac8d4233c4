/**
 * Type tests: `createEventStore`'s `personalData` takes keys (`{ kek, cache?, envelopeFormat? }`) or exactly the
 * opt-out `"unencrypted"`; any other value fails to compile. Every `@ts-expect-error` below fails
 * the type check if the line it marks ever compiles.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { PersonalDataOptions } from "../crypto/envelope-format-option.js";
import type { KekProvider } from "../crypto/kek-provider.js";
import { defineRegistry } from "../registry.js";
import type { EventShape } from "../registry.js";
import type { CreateEventStoreOptions } from "./create-event-store.js";

const registry = defineRegistry<EventShape<"CustomerRegistered", { readonly name: string }>>({ context: "people", events: {} });
type PersonalData = CreateEventStoreOptions<typeof registry>["personalData"];
declare const kek: KekProvider;

describe("createEventStore personalData option", () => {
  it("is keys, the opt-out, or absent: a small union", () => {
    expectTypeOf<PersonalData>().toEqualTypeOf<PersonalDataOptions | "unencrypted" | undefined>();
  });

  it("accepts keys and the opt-out, and nothing else", () => {
    const database = { kind: "pglite" } as const;
    expectTypeOf({ registry, database, personalData: { kek } }).toExtend<CreateEventStoreOptions<typeof registry>>();
    expectTypeOf({ registry, database, personalData: "unencrypted" as const }).toExtend<CreateEventStoreOptions<typeof registry>>();
    expectTypeOf({ registry, database }).toExtend<CreateEventStoreOptions<typeof registry>>();
    // @ts-expect-error only "unencrypted" opts out; other strings are typos
    const typo: PersonalData = "plaintext";
    expectTypeOf({ registry, database, personalData: { kek, envelopeFormat: 3 as const } }).toExtend<CreateEventStoreOptions<typeof registry>>();
    // @ts-expect-error a format this runtime does not write
    const format1: PersonalData = { kek, envelopeFormat: 1 };
    // @ts-expect-error keys need a KEK provider
    const noKek: PersonalData = {};
    // @ts-expect-error `true` is not an opt-out
    const yes: PersonalData = true;
    void [typo, noKek, yes, format1];
  });
});
