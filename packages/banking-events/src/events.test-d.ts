/**
 * Type tests: the generated classes, union and registry reject wrong shapes at compile time.
 * Every `@ts-expect-error` below fails the type check if the line it marks ever compiles.
 */
import type { RegistryEvent } from "@strata/runtime";
import { describe, expectTypeOf, it } from "vitest";

import { CustomerRegistered, MoneyDeposited } from "./index.js";
import type { bankingRegistry, BankingEvent, MoneyDepositedV1, MoneyDepositedV4, TransferFailed, TransferFailedV2 } from "./index.js";

const accountId = "0f8fad5b-d9cb-469f-a165-70867728950e";
const money = { amountMinor: 100, currency: "EUR" } as const;

describe("event classes", () => {
  it("accept exactly the latest version's data", () => {
    expectTypeOf(new MoneyDeposited({ accountId, money, source: "cash" }).data).toEqualTypeOf<MoneyDepositedV4>();
    expectTypeOf<MoneyDeposited["type"]>().toEqualTypeOf<"MoneyDeposited">();
    expectTypeOf<MoneyDeposited["schemaVersion"]>().toEqualTypeOf<4>();
    expectTypeOf(MoneyDeposited.type).toEqualTypeOf<"MoneyDeposited">();
    expectTypeOf(MoneyDeposited.schemaVersion).toEqualTypeOf<4>();
    expectTypeOf(MoneyDeposited.parse).returns.toEqualTypeOf<MoneyDeposited>();
  });

  it("reject wrong payload shapes", () => {
    // @ts-expect-error accountId is a string
    new MoneyDeposited({ accountId: 1, money, source: "cash" });
    // @ts-expect-error money is required
    new MoneyDeposited({ accountId, source: "cash" });
    // @ts-expect-error "cheque" is not a source
    new MoneyDeposited({ accountId, money, source: "cheque" });
    // @ts-expect-error v1's amount is not part of the latest version
    new MoneyDeposited({ accountId, money, source: "cash", amount: 5 });
    // @ts-expect-error currency is an enum
    new MoneyDeposited({ accountId, money: { amountMinor: 1, currency: "XYZ" }, source: "cash" });
    // @ts-expect-error the old version's data is not the latest version's
    new MoneyDeposited({ accountId, amount: 5 } satisfies MoneyDepositedV1);
    // @ts-expect-error address is required
    new CustomerRegistered({ customerId: accountId, name: "Ada", email: "ada@example.com" });
  });
});

describe("the BankingEvent union", () => {
  it("narrows by type", () => {
    const describeEvent = (event: BankingEvent): string => {
      // @ts-expect-error before narrowing, `money` is not on every member's data
      void event.data.money;
      if (event.type === "MoneyDeposited") {
        expectTypeOf(event.data).toEqualTypeOf<MoneyDepositedV4>();
        return event.data.money.currency;
      }
      if (event.type === "TransferFailed") {
        expectTypeOf(event.data).toEqualTypeOf<TransferFailedV2>();
        return event.data.reason;
      }
      expectTypeOf(event.type).toEqualTypeOf<Exclude<BankingEvent["type"], "MoneyDeposited" | "TransferFailed">>();
      return event.type;
    };
    expectTypeOf(describeEvent).parameter(0).toEqualTypeOf<BankingEvent>();
    expectTypeOf<Extract<BankingEvent, { type: "TransferFailed" }>>().toEqualTypeOf<TransferFailed>();
  });

  it("is the event type the registry carries", () => {
    expectTypeOf<RegistryEvent<typeof bankingRegistry>>().toEqualTypeOf<BankingEvent>();
    expectTypeOf<BankingEvent["type"]>().toEqualTypeOf<
      | "AccountClosed"
      | "AccountFrozen"
      | "AccountOpened"
      | "CustomerRegistered"
      | "MoneyDeposited"
      | "MoneyWithdrawn"
      | "TransferCompleted"
      | "TransferFailed"
      | "TransferInitiated"
    >();
  });
});
