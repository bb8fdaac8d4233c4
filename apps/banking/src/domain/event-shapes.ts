import type { BankingEvent } from "@strata/banking-events";

/**
 * A banking event as plain `{ type, data }`: what deciders return and evolve over. The generated
 * classes also carry `schemaVersion`, which the store adds itself.
 */
export type BankingEventShape<T extends BankingEvent["type"] = BankingEvent["type"]> =
  Extract<BankingEvent, { readonly type: T }> extends infer E ? (E extends BankingEvent ? { readonly type: E["type"]; readonly data: E["data"] } : never) : never;
