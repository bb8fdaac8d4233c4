import { given } from "@strata/runtime/testing";
import { describe, it } from "vitest";
import { accountDecider, MAX_BALANCE_MINOR } from "./account.js";
import type { AccountEvent } from "./account.js";

const accountId = "0b7f3c1e-8a2d-4c6b-9e1f-2a3b4c5d6e7f";
const customerId = "1c8e4d2f-9b3e-4d7c-8f2a-3b4c5d6e7f80";
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });
const opened: AccountEvent = { type: "AccountOpened", data: { accountId, customerId, currency: "EUR", overdraftLimitMinor: 500 } };
const deposited = (amountMinor: number): AccountEvent => ({ type: "MoneyDeposited", data: { accountId, money: eur(amountMinor), source: "cash" } });

describe("account decider", () => {
  it("opens once", () => {
    given(accountDecider, []).when({ type: "OpenAccount", accountId, customerId, currency: "EUR", overdraftLimitMinor: 500 }).then([opened]);
    given(accountDecider, [opened]).when({ type: "OpenAccount", accountId, customerId, currency: "EUR", overdraftLimitMinor: 0 }).then("account_already_exists");
  });

  it("withdraws down to minus the overdraft limit, not past it", () => {
    given(accountDecider, [opened, deposited(100)]).when({ type: "Withdraw", money: eur(600) }).then([{ type: "MoneyWithdrawn", data: { accountId, money: eur(600) } }]);
    given(accountDecider, [opened, deposited(100)])
      .when({ type: "Withdraw", money: eur(601) })
      .then({ code: "insufficient_funds", balanceMinor: 100, overdraftLimitMinor: 500, requestedMinor: 601 });
  });

  it("refuses movements on frozen, closed or unopened accounts and in another currency", () => {
    const frozen: AccountEvent = { type: "AccountFrozen", data: { accountId, reason: "check" } };
    given(accountDecider, [opened, frozen]).when({ type: "Deposit", money: eur(1), source: "cash" }).then("account_frozen");
    given(accountDecider, [opened, { type: "AccountClosed", data: { accountId } }]).when({ type: "Deposit", money: eur(1), source: "cash" }).then("account_closed");
    given(accountDecider, []).when({ type: "Withdraw", money: eur(1) }).then("account_not_found");
    given(accountDecider, [opened]).when({ type: "Deposit", money: { amountMinor: 1, currency: "USD" }, source: "card" }).then("currency_mismatch");
  });

  it("closes only at a zero balance", () => {
    given(accountDecider, [opened, deposited(1)]).when({ type: "Close" }).then({ code: "balance_not_zero", balanceMinor: 1 });
    given(accountDecider, [opened]).when({ type: "Close" }).then([{ type: "AccountClosed", data: { accountId } }]);
  });

  it("books each transfer leg once, and refunds even a frozen account", () => {
    const transferId = "2d9f5e3a-0c4f-4e8d-9a3b-4c5d6e7f8091";
    const debit: AccountEvent = { type: "MoneyWithdrawn", data: { accountId, money: eur(50), reference: `transfer:${transferId}` } };
    given(accountDecider, [opened, deposited(100)]).when({ type: "DebitTransfer", transferId, money: eur(50) }).then([debit]);
    given(accountDecider, [opened, deposited(100), debit]).when({ type: "DebitTransfer", transferId, money: eur(50) }).then([]);
    const frozen: AccountEvent = { type: "AccountFrozen", data: { accountId, reason: "check" } };
    const refund: AccountEvent = { type: "MoneyDeposited", data: { accountId, money: eur(50), source: "transfer", reference: `refund:${transferId}` } };
    given(accountDecider, [opened, deposited(100), debit, frozen]).when({ type: "RefundTransfer", transferId, money: eur(50) }).then([refund]);
    given(accountDecider, [opened, deposited(100), debit, frozen, refund]).when({ type: "RefundTransfer", transferId, money: eur(50) }).then([]);
    given(accountDecider, [opened, frozen]).when({ type: "CreditTransfer", transferId, money: eur(50) }).then("account_frozen");
  });

  it("refuses money in that would take the balance past its limit; a refund still lands", () => {
    const nearlyFull = [opened, deposited(MAX_BALANCE_MINOR - 10)];
    given(accountDecider, nearlyFull).when({ type: "Deposit", money: eur(11), source: "cash" }).then("balance_limit_exceeded");
    given(accountDecider, nearlyFull).when({ type: "CreditTransfer", transferId: "t1", money: eur(11) }).then("balance_limit_exceeded");
    given(accountDecider, nearlyFull).when({ type: "Deposit", money: eur(10), source: "cash" }).then([deposited(10)]);
  });
});
