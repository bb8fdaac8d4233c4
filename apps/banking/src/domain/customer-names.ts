import { isErased } from "@strata/runtime";
import type { BankingStore } from "./bank.js";
import { customerStream } from "./money.js";

/** What a transfer records as the name of a customer whose personal data was erased. */
export const ERASED_NAME = "(erased)";

/**
 * The customer's name as registered, for the transfer's `payerName`/`payeeName` (personal data:
 * it goes into the event, where the store encrypts it, and nowhere else). `undefined` when the
 * customer does not exist; {@link ERASED_NAME} when the name reads back erased.
 */
export async function customerName(store: BankingStore, customerId: string): Promise<string | undefined> {
  const streamId = customerStream(customerId);
  if ((await store.streamVersion(streamId)) === undefined) return undefined;
  for await (const event of store.readStream(streamId, { limit: 1 })) {
    if (event.type !== "CustomerRegistered") return undefined;
    const name: unknown = event.data.name;
    return isErased(name) || typeof name !== "string" ? ERASED_NAME : name;
  }
  return undefined;
}
