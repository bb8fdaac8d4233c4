import type { Currency } from "./money.js";

/** Where an account is in its life. */
export type AccountStatus = "none" | "open" | "frozen" | "closed";

/** What the account decider remembers. Holds no personal data, so snapshots need no erasing. */
export interface AccountState {
  readonly status: AccountStatus;
  readonly accountId: string | null;
  readonly customerId: string | null;
  readonly currency: Currency | null;
  readonly overdraftLimitMinor: number;
  readonly balanceMinor: number;
  /** Transfer legs already booked (`transfer:<id>` debits/credits, `refund:<id>`), so a resumed transfer never books one twice. */
  readonly transferLegs: readonly string[];
}

/** The state before the first event. */
export const INITIAL_ACCOUNT_STATE: AccountState = {
  status: "none",
  accountId: null,
  customerId: null,
  currency: null,
  overdraftLimitMinor: 0,
  balanceMinor: 0,
  transferLegs: [],
};
