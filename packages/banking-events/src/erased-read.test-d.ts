/**
 * Type tests: personal-data fields read back as `T | Erased`, so a handler must deal with an
 * erased data subject at compile time, while the write side keeps the plain types.
 * Every `@ts-expect-error` below fails the type check if the line it marks ever compiles.
 */
import { isErased } from "@strata/runtime";
import type { Erased, RecordedEvent, RegistryEvent } from "@strata/runtime";
import { describe, expectTypeOf, it } from "vitest";

import { CustomerRegistered } from "./index.js";
import type {
  bankingRegistry,
  BankingEvent,
  BankingReadEvent,
  CustomerRegisteredRead,
  CustomerRegisteredV1,
  CustomerRegisteredV1Read,
  MoneyDepositedV3,
  MoneyDepositedV3Read,
  TransferInitiatedV1Read,
} from "./index.js";

type Handler = (event: RecordedEvent<BankingReadEvent>) => string;

describe("read-side data", () => {
  it("does not compile when a handler uses an x-pii field without an isErased check", () => {
    const shout: Handler = (event) => {
      if (event.type !== "CustomerRegistered") return "";
      // @ts-expect-error `name` may be the erased marker, which has no toUpperCase
      return event.data.name.toUpperCase();
    };
    void shout;
  });

  it("compiles once the handler narrows with isErased", () => {
    const shout: Handler = (event) => {
      if (event.type !== "CustomerRegistered") return "";
      const { name, address } = event.data;
      const city = isErased(address) ? "(erased)" : address.city;
      return `${isErased(name) ? "(erased)" : name.toUpperCase()} ${city}`;
    };
    expectTypeOf(shout).returns.toEqualTypeOf<string>();
  });

  it("widens exactly the x-pii fields", () => {
    expectTypeOf<CustomerRegisteredV1Read["name"]>().toEqualTypeOf<string | Erased>();
    expectTypeOf<CustomerRegisteredV1Read["email"]>().toEqualTypeOf<string | Erased>();
    expectTypeOf<CustomerRegisteredV1Read["address"]>().toEqualTypeOf<CustomerRegisteredV1["address"] | Erased>();
    // The subject's id is not personal data: it stays readable.
    expectTypeOf<CustomerRegisteredV1Read["customerId"]>().toEqualTypeOf<string>();
    expectTypeOf<TransferInitiatedV1Read["payerName"]>().toEqualTypeOf<string | Erased>();
    expectTypeOf<TransferInitiatedV1Read["money"]>().not.toEqualTypeOf<Erased>();
    // Events without personal data read as they were written.
    expectTypeOf<MoneyDepositedV3Read>().toEqualTypeOf<MoneyDepositedV3>();
  });

  it("is what the registry carries for reads, while appends keep the plain types", () => {
    expectTypeOf<NonNullable<(typeof bankingRegistry)["__readEvent"]>>().toEqualTypeOf<BankingReadEvent>();
    expectTypeOf<RegistryEvent<typeof bankingRegistry>>().toEqualTypeOf<BankingEvent>();
    expectTypeOf<Extract<BankingReadEvent, { type: "CustomerRegistered" }>>().toEqualTypeOf<CustomerRegisteredRead>();
    expectTypeOf<CustomerRegisteredRead["data"]>().toEqualTypeOf<CustomerRegisteredV1Read>();
    // @ts-expect-error the event class takes data as written: the erased marker is not a name
    new CustomerRegistered({ customerId: "c", name: { $erased: true }, email: "a@b.c", address: { street: "s", city: "c", postalCode: "p", country: "FR" } });
  });
});
