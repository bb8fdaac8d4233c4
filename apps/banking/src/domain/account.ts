/**
 * The account aggregate: open, deposit, withdraw within the overdraft limit, freeze, close at a
 * zero balance, and the idempotent legs of transfers.
 *
 * @module
 */
import type { bankingRegistry } from "@strata/banking-events";
import { defineDecider, reject } from "@strata/runtime";
import type { Decision, DeciderEvent, DeciderFor, DeciderReadEvent, Rejection } from "@strata/runtime";
import type { AccountCommand, AccountError, TransferLeg } from "./account-commands.js";
import type { AccountState } from "./account-state.js";
import { INITIAL_ACCOUNT_STATE } from "./account-state.js";
import type { Money } from "./money.js";
import { refundReference, transferReference } from "./money.js";

/** The account decider's type: the account events of the banking registry, written by `decide` and read by `evolve`. */
export type AccountDecider = DeciderFor<typeof bankingRegistry, AccountState, AccountCommand, AccountError, "AccountOpened" | "MoneyDeposited" | "MoneyWithdrawn" | "AccountFrozen" | "AccountClosed">;

/** The events an account stream holds, as `decide` writes them. */
export type AccountEvent = DeciderEvent<AccountDecider>;
/** The same events as `evolve` reads them (they carry no personal data today; a personal field added later would read as `T | Erased`). */
export type AccountReadEvent = DeciderReadEvent<AccountDecider>;

const legKey = (kind: "debit" | "credit" | "refund", transferId: string): string => `${kind}:${transferId}`;

function legOf(reference: string | undefined, kind: "debit" | "credit"): string | undefined {
  if (reference === undefined) return undefined;
  if (reference.startsWith("transfer:")) return legKey(kind, reference.slice("transfer:".length));
  if (reference.startsWith("refund:")) return legKey("refund", reference.slice("refund:".length));
  return undefined;
}

const withLeg = (state: AccountState, leg: string | undefined): readonly string[] => (leg === undefined ? state.transferLegs : [...state.transferLegs, leg]);

function evolve(state: AccountState, event: AccountReadEvent): AccountState {
  switch (event.type) {
    case "AccountOpened":
      return {
        ...state,
        status: "open",
        accountId: event.data.accountId,
        customerId: event.data.customerId,
        currency: event.data.currency,
        overdraftLimitMinor: event.data.overdraftLimitMinor,
      };
    case "MoneyDeposited": {
      const leg = event.data.source === "transfer" ? legOf(event.data.reference, "credit") : undefined;
      return { ...state, balanceMinor: state.balanceMinor + event.data.money.amountMinor, transferLegs: withLeg(state, leg) };
    }
    case "MoneyWithdrawn":
      return { ...state, balanceMinor: state.balanceMinor - event.data.money.amountMinor, transferLegs: withLeg(state, legOf(event.data.reference, "debit")) };
    case "AccountFrozen":
      return { ...state, status: "frozen" };
    case "AccountClosed":
      return { ...state, status: "closed" };
  }
}

/** Refuses any movement unless the account is open and in the money's currency. */
function movable(state: AccountState, money: Money): Rejection<AccountError> | undefined {
  if (state.status === "none") return reject({ code: "account_not_found" });
  if (state.status === "frozen") return reject({ code: "account_frozen" });
  if (state.status === "closed") return reject({ code: "account_closed" });
  if (state.currency !== null && state.currency !== money.currency) {
    return reject({ code: "currency_mismatch", accountCurrency: state.currency, requested: money.currency });
  }
  return undefined;
}

/**
 * The most an account may hold, in minor units: with amounts of at most 10^11 (the schemas'
 * bound) every balance, total and sum stays an exact JavaScript number and fits the read
 * models' bigint columns.
 */
export const MAX_BALANCE_MINOR = 1_000_000_000_000_000;

/** Refuses money coming in that would take the balance past {@link MAX_BALANCE_MINOR}. */
function receivable(state: AccountState, money: Money): Rejection<AccountError> | undefined {
  const refused = movable(state, money);
  if (refused !== undefined) return refused;
  if (state.balanceMinor + money.amountMinor > MAX_BALANCE_MINOR) return reject({ code: "balance_limit_exceeded", balanceMinor: state.balanceMinor, maxBalanceMinor: MAX_BALANCE_MINOR, requestedMinor: money.amountMinor });
  return undefined;
}

function withdrawable(state: AccountState, money: Money): Rejection<AccountError> | undefined {
  const refused = movable(state, money);
  if (refused !== undefined) return refused;
  if (state.balanceMinor - money.amountMinor < -state.overdraftLimitMinor) {
    return reject({ code: "insufficient_funds", balanceMinor: state.balanceMinor, overdraftLimitMinor: state.overdraftLimitMinor, requestedMinor: money.amountMinor });
  }
  return undefined;
}

function decideLeg(command: TransferLeg, state: AccountState): Decision<AccountEvent, AccountError> {
  const accountId = state.accountId ?? "";
  switch (command.type) {
    case "DebitTransfer": {
      if (state.transferLegs.includes(legKey("debit", command.transferId))) return [];
      const refused = withdrawable(state, command.money);
      return refused ?? [{ type: "MoneyWithdrawn", data: { accountId, money: command.money, reference: transferReference(command.transferId) } }];
    }
    case "CreditTransfer": {
      if (state.transferLegs.includes(legKey("credit", command.transferId))) return [];
      const refused = receivable(state, command.money);
      return refused ?? [{ type: "MoneyDeposited", data: { accountId, money: command.money, source: "transfer", reference: transferReference(command.transferId) } }];
    }
    case "RefundTransfer":
      // A refund gives back money that left this account; it must land even if the account was
      // frozen or closed since, or the money would vanish.
      if (state.status === "none") return reject({ code: "account_not_found" });
      if (state.transferLegs.includes(legKey("refund", command.transferId))) return [];
      return [{ type: "MoneyDeposited", data: { accountId, money: command.money, source: "transfer", reference: refundReference(command.transferId) } }];
  }
}

function decide(command: AccountCommand, state: AccountState): Decision<AccountEvent, AccountError> {
  const accountId = state.accountId ?? "";
  switch (command.type) {
    case "OpenAccount":
      if (state.status !== "none") return reject({ code: "account_already_exists", accountId: command.accountId });
      return [
        {
          type: "AccountOpened",
          data: { accountId: command.accountId, customerId: command.customerId, currency: command.currency, overdraftLimitMinor: command.overdraftLimitMinor },
        },
      ];
    case "Deposit": {
      const refused = receivable(state, command.money);
      const data = { accountId, money: command.money, source: command.source, ...(command.reference === undefined ? {} : { reference: command.reference }) };
      return refused ?? [{ type: "MoneyDeposited", data }];
    }
    case "Withdraw": {
      const refused = withdrawable(state, command.money);
      const data = { accountId, money: command.money, ...(command.reference === undefined ? {} : { reference: command.reference }) };
      return refused ?? [{ type: "MoneyWithdrawn", data }];
    }
    case "Freeze":
      if (state.status === "none") return reject({ code: "account_not_found" });
      if (state.status === "closed") return reject({ code: "account_closed" });
      if (state.status === "frozen") return [];
      return [{ type: "AccountFrozen", data: { accountId, reason: command.reason } }];
    case "Close":
      if (state.status === "none") return reject({ code: "account_not_found" });
      if (state.status === "closed") return [];
      if (state.balanceMinor !== 0) return reject({ code: "balance_not_zero", balanceMinor: state.balanceMinor });
      return [{ type: "AccountClosed", data: { accountId } }];
    case "DebitTransfer":
    case "CreditTransfer":
    case "RefundTransfer":
      return decideLeg(command, state);
  }
}

/** The account decider. */
export const accountDecider = defineDecider<AccountDecider>({
  name: "banking-account",
  stateVersion: 1,
  initialState: INITIAL_ACCOUNT_STATE,
  evolve,
  decide,
});
