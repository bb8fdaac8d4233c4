/**
 * What a `customer` caller may touch: their own customer record, their accounts, and transfers
 * from or to them. Tellers and compliance officers pass (their routes' roles already decided).
 *
 * A resource addressed by its id that is not the customer's answers exactly as one that does
 * not exist (404 `not_found`, same body): a 403 there would tell a customer which ids exist.
 *
 * @module
 */
import { ResourceNotFound } from "../domain/domain-rejection.js";
import { AccessError } from "./access-error.js";
import type { Principal } from "./principal.js";

function owns(principal: Principal, customerIds: readonly (string | null | undefined)[]): boolean {
  return customerIds.some((customerId) => customerId !== null && customerId !== undefined && customerId === principal.customerId);
}

/** Refuses a customer acting on another customer's data (403): for requests that name no single resource, like a filter. */
export function requireOwner(principal: Principal | undefined, ...customerIds: readonly (string | null | undefined)[]): void {
  if (principal?.role !== "customer") return;
  if (!owns(principal, customerIds)) {
    throw new AccessError("forbidden", "A customer may only act on their own customer record, accounts and transfers.");
  }
}

/**
 * Answers a customer's request for the `resource` with `id` owned by none of `customerIds` (null
 * when it does not exist) with {@link ResourceNotFound}, as if it did not exist.
 */
export function requireOwnedResource(principal: Principal | undefined, resource: string, id: string, ...customerIds: readonly (string | null | undefined)[]): void {
  if (principal?.role !== "customer") return;
  if (!owns(principal, customerIds)) throw new ResourceNotFound(resource, id);
}
