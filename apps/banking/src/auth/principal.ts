/**
 * Who is calling, as a verified access token says.
 *
 * - `customer`: their own customer record, accounts and transfers only;
 * - `teller`: registers customers, opens accounts, moves money, reads everything but exports;
 * - `compliance`: reads, exports and erases customers' personal data; moves no money.
 *
 * @module
 */

/** The roles of the bank's users. */
export const ROLES = ["customer", "teller", "compliance"] as const;

/** A role. */
export type Role = (typeof ROLES)[number];

/** An authenticated caller. */
export interface Principal {
  /** The user name (the token's `sub`). */
  readonly subject: string;
  readonly role: Role;
  /** The customer a `customer` acts for. */
  readonly customerId?: string | undefined;
}
