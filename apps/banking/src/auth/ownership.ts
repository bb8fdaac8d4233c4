/**
 * What a `customer` caller may touch: their own customer record, their accounts, and transfers
 * from or to them. Tellers and compliance officers pass (their routes' roles already decided).
 *
 * @module
 */
import { AccessError } from "./access-error.js";
import type { Principal } from "./principal.js";

/** Refuses a customer acting on another customer's data (403). */
export function requireOwner(principal: Principal | undefined, ...customerIds: readonly (string | null | undefined)[]): void {
  if (principal?.role !== "customer") return;
  if (!customerIds.some((customerId) => customerId !== null && customerId !== undefined && customerId === principal.customerId)) {
    throw new AccessError("forbidden", "A customer may only act on their own customer record, accounts and transfers.");
  }
}
