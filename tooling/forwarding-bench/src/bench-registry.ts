/** The bench's own registry: one event type, about 200 bytes of data, no personal data. */
import { defineRegistry } from "@strata/runtime";
import { z } from "zod";

const deposited = z.strictObject({ account: z.string(), amount: z.int().min(1), currency: z.enum(["EUR", "USD"]), reference: z.string().max(140) });

/** A deposit. */
export type Deposited = { readonly type: "Deposited"; readonly data: z.infer<typeof deposited> };

export const benchRegistry = defineRegistry<Deposited>({
  context: "forwarding-bench",
  events: { Deposited: { type: "Deposited", latestVersion: 1, versions: { 1: { version: 1, validator: deposited, pii: [] } }, upcasters: [] } },
});

/** The data of deposit `n` on `account`. */
export function deposit(account: string, n: number): Deposited["data"] {
  return { account, amount: n + 1, currency: "EUR", reference: `invoice ${n.toString().padStart(8, "0")} for services rendered, paid by transfer` };
}
