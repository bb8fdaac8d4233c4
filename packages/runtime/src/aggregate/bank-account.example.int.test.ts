// The worked example of docs/aggregates.md. The doc shows this file's code; keep them in step.
// The doc imports these names from "@strata/runtime" and "@strata/runtime/testing"; inside the
// package they come from their modules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRegistry } from "../registry.js";
import type { EventShape, EventTypeSpec } from "../registry.js";
import { createTestStore } from "../testing/decider-test-store.js";
import type { TestStore } from "../testing/decider-test-store.js";
import { given } from "../testing/decider-spec.js";
import { createCommandHandler } from "./command-handler.js";
import { defineDecider, reject } from "./decider.js";
import { loadAggregate } from "./load-aggregate.js";

// 1. Events. A generated events package provides these types and this registry.
type AccountOpened = EventShape<"AccountOpened", { readonly customerId: string; readonly overdraftLimit: number }>;
type MoneyDeposited = EventShape<"MoneyDeposited", { readonly amount: number }>;
type MoneyWithdrawn = EventShape<"MoneyWithdrawn", { readonly amount: number }>;
type AccountClosed = EventShape<"AccountClosed", { readonly reason: string }>;
type BankEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | AccountClosed;

const v1 = (type: string, validator: z.ZodType): EventTypeSpec => ({
  type,
  latestVersion: 1,
  versions: { 1: { version: 1, validator, pii: [] } },
  upcasters: [],
});
const bankRegistry = defineRegistry<BankEvent>({
  context: "bank",
  events: {
    AccountOpened: v1("AccountOpened", z.object({ customerId: z.string(), overdraftLimit: z.number().int().min(0) })),
    MoneyDeposited: v1("MoneyDeposited", z.object({ amount: z.number().int().positive() })),
    MoneyWithdrawn: v1("MoneyWithdrawn", z.object({ amount: z.number().int().positive() })),
    AccountClosed: v1("AccountClosed", z.object({ reason: z.string() })),
  },
});

// 2. The decider: state, commands, domain errors, evolve, decide.
interface Account {
  readonly status: "new" | "open" | "closed";
  readonly customerId: string | null;
  readonly balance: number;
  readonly overdraftLimit: number;
}

type AccountCommand =
  | { readonly type: "Open"; readonly customerId: string; readonly overdraftLimit: number }
  | { readonly type: "Deposit"; readonly amount: number }
  | { readonly type: "Withdraw"; readonly amount: number }
  | { readonly type: "Close"; readonly reason: string };

type AccountError =
  | { readonly code: "already_open" }
  | { readonly code: "not_open" }
  | { readonly code: "invalid_amount" }
  | { readonly code: "insufficient_funds"; readonly available: number }
  | { readonly code: "balance_not_zero"; readonly balance: number };

const bankAccount = defineDecider<Account, AccountCommand, BankEvent, AccountError>({
  name: "bank-account",
  stateVersion: 1,
  initialState: { status: "new", customerId: null, balance: 0, overdraftLimit: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case "AccountOpened":
        return { ...state, status: "open", customerId: event.data.customerId, overdraftLimit: event.data.overdraftLimit };
      case "MoneyDeposited":
        return { ...state, balance: state.balance + event.data.amount };
      case "MoneyWithdrawn":
        return { ...state, balance: state.balance - event.data.amount };
      case "AccountClosed":
        return { ...state, status: "closed" };
    }
  },
  decide: (command, state) => {
    if (command.type === "Open") {
      if (state.status !== "new") return reject({ code: "already_open" });
      return [{ type: "AccountOpened", data: { customerId: command.customerId, overdraftLimit: command.overdraftLimit } }];
    }
    if (state.status !== "open") return reject({ code: "not_open" });
    switch (command.type) {
      case "Deposit":
        if (command.amount <= 0) return reject({ code: "invalid_amount" });
        return [{ type: "MoneyDeposited", data: { amount: command.amount } }];
      case "Withdraw": {
        if (command.amount <= 0) return reject({ code: "invalid_amount" });
        const available = state.balance + state.overdraftLimit;
        if (command.amount > available) return reject({ code: "insufficient_funds", available });
        return [{ type: "MoneyWithdrawn", data: { amount: command.amount } }];
      }
      case "Close":
        if (state.balance !== 0) return reject({ code: "balance_not_zero", balance: state.balance });
        return [{ type: "AccountClosed", data: { reason: command.reason } }];
    }
  },
  // The state holds the customer's id: snapshots record it, and erasing the customer deletes them.
  subjects: (state) => (state.customerId === null ? [] : [state.customerId]),
});

// 3. Unit tests of the decider: no database.
describe("bank account decider", () => {
  const opened: AccountOpened = { type: "AccountOpened", data: { customerId: "customer-1", overdraftLimit: 50 } };

  it("deposits into an open account", () => {
    given(bankAccount, [opened]).when({ type: "Deposit", amount: 100 }).then([{ type: "MoneyDeposited", data: { amount: 100 } }]);
  });

  it("refuses to withdraw more than balance plus overdraft", () => {
    given(bankAccount, [opened, { type: "MoneyDeposited", data: { amount: 100 } }])
      .when({ type: "Withdraw", amount: 151 })
      .then({ code: "insufficient_funds", available: 150 });
  });

  it("refuses to close an account with money on it", () => {
    given(bankAccount, [opened, { type: "MoneyDeposited", data: { amount: 1 } }]).when({ type: "Close", reason: "moving" }).then("balance_not_zero");
  });
});

// 4. Commands against a real (embedded) store, with snapshots and time travel.
describe("bank account on an event store", () => {
  let db: TestStore<BankEvent>;
  beforeAll(async () => {
    db = await createTestStore({ registry: bankRegistry });
  });
  afterAll(async () => {
    await db.close();
  });

  it("handles commands, snapshots every 2 events, and loads past states", async () => {
    const accounts = createCommandHandler({
      store: db.store,
      decider: bankAccount,
      snapshots: { store: db.snapshots, policy: { everyEvents: 2 } },
    });

    await accounts.handle("account-1", { type: "Open", customerId: "customer-1", overdraftLimit: 0 });
    await accounts.handle("account-1", { type: "Deposit", amount: 100 });
    const withdrawn = await accounts.handle("account-1", { type: "Withdraw", amount: 30 });
    expect(withdrawn).toMatchObject({ status: "applied", nextExpectedVersion: 3 });

    const refused = await accounts.handle("account-1", { type: "Withdraw", amount: 500 });
    expect(refused.status === "rejected" && refused.error).toEqual({ code: "insufficient_funds", available: 70 });

    await accounts.flushSnapshots(); // only tests wait for snapshots; commands never do
    const now = await accounts.load("account-1");
    expect(now).toMatchObject({ version: 3, snapshotVersion: 2, state: { balance: 70 } });

    const afterDeposit = await loadAggregate(db.store, bankAccount, "account-1", { atVersion: 2 });
    expect(afterDeposit.state.balance).toBe(100);
  });

  it("erasing a customer deletes the snapshots that hold their id", async () => {
    const accounts = createCommandHandler({ store: db.store, decider: bankAccount, snapshots: { store: db.snapshots, policy: { everyEvents: 1 } } });
    await accounts.handle("account-2", { type: "Open", customerId: "customer-2", overdraftLimit: 0 });
    await accounts.flushSnapshots();
    expect(await db.snapshots.findLatest({ streamId: "account-2", aggregate: "bank-account" })).toBeDefined();

    expect(await db.snapshots.deleteForSubject("customer-2")).toBe(1);
    expect(await db.snapshots.findLatest({ streamId: "account-2", aggregate: "bank-account" })).toBeUndefined();
    expect((await accounts.load("account-2")).state.status).toBe("open"); // rebuilt from the stream
  });
});
