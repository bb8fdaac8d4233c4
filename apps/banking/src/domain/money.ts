import type { MoneyDepositedV4 } from "@strata/banking-events";

/** An amount in minor units of one currency, as the banking events carry it. */
export type Money = MoneyDepositedV4["money"];

/** The currencies the banking events accept. */
export type Currency = Money["currency"];

/** Stream id of a customer. */
export const customerStream = (customerId: string): string => `customer-${customerId}`;
/** Stream id of an account. */
export const accountStream = (accountId: string): string => `account-${accountId}`;
/** Stream id of a transfer (the process's own stream). */
export const transferStream = (transferId: string): string => `transfer-${transferId}`;

/** Reference a transfer's debit and credit legs carry, so the account can recognise a leg already booked. */
export const transferReference = (transferId: string): string => `transfer:${transferId}`;
/** Reference of the deposit that gives a failed transfer's debit back. */
export const refundReference = (transferId: string): string => `refund:${transferId}`;
/** References with these prefixes are reserved for transfers; commands from outside may not use them. */
export const RESERVED_REFERENCE_PREFIXES = ["transfer:", "refund:"] as const;
