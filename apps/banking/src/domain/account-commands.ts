import type { Currency, Money } from "./money.js";

/** Opens an account for an existing customer. */
export interface OpenAccount {
  readonly type: "OpenAccount";
  readonly accountId: string;
  readonly customerId: string;
  readonly currency: Currency;
  readonly overdraftLimitMinor: number;
}
/** Pays money in (cash or card). */
export interface Deposit {
  readonly type: "Deposit";
  readonly money: Money;
  readonly source: "cash" | "card";
  readonly reference?: string | undefined;
}
/** Takes money out, at most down to minus the overdraft limit. */
export interface Withdraw {
  readonly type: "Withdraw";
  readonly money: Money;
  readonly reference?: string | undefined;
}
/** Stops every movement of money. */
export interface Freeze {
  readonly type: "Freeze";
  readonly reason: string;
}
/** Closes the account; only at a zero balance. */
export interface Close {
  readonly type: "Close";
}
/** A transfer's legs: debit the payer, credit the payee, refund the payer when the credit failed. */
export interface TransferLeg {
  readonly type: "DebitTransfer" | "CreditTransfer" | "RefundTransfer";
  readonly transferId: string;
  readonly money: Money;
}

/** The commands an account accepts. */
export type AccountCommand = OpenAccount | Deposit | Withdraw | Freeze | Close | TransferLeg;

/** Why an account command was refused (HTTP 422, or 409 for an existing account). */
export type AccountError =
  | { readonly code: "account_already_exists"; readonly accountId: string }
  | { readonly code: "account_not_found" }
  | { readonly code: "account_frozen" }
  | { readonly code: "account_closed" }
  | { readonly code: "currency_mismatch"; readonly accountCurrency: Currency; readonly requested: Currency }
  | { readonly code: "insufficient_funds"; readonly balanceMinor: number; readonly overdraftLimitMinor: number; readonly requestedMinor: number }
  | { readonly code: "balance_not_zero"; readonly balanceMinor: number }
  | { readonly code: "balance_limit_exceeded"; readonly balanceMinor: number; readonly maxBalanceMinor: number; readonly requestedMinor: number };
