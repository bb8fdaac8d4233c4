/** A registry for the ledger test decider's events, so it runs against the real store. */
import { z } from "zod";
import { defineRegistry } from "../../registry.js";
import type { EventTypeSpec, SchemaValidator } from "../../registry.js";
import type { LedgerEvent } from "./ledger-decider.js";

function single(type: string, validator: SchemaValidator): EventTypeSpec {
  return { type, latestVersion: 1, versions: { 1: { version: 1, validator, pii: [] } }, upcasters: [] };
}

export const ledgerRegistry = defineRegistry<LedgerEvent>({
  context: "ledger",
  events: {
    Credited: single("Credited", z.object({ amount: z.number().int(), from: z.string(), at: z.string() })),
    Debited: single("Debited", z.object({ amount: z.number().int(), to: z.string(), at: z.string() })),
    Tagged: single("Tagged", z.object({ tag: z.string() })),
    Closed: single("Closed", z.object({ reason: z.string() })),
  },
});
