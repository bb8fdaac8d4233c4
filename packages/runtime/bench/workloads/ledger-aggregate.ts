import { defineDecider, defineRegistry } from "@strata/runtime";
import type { EventShape, EventTypeSpec } from "@strata/runtime";
import { z } from "zod";

// The aggregate of workload A: a ledger credited by many small amounts, so that its stream grows
// long (the case snapshots exist for) while each command stays trivial to decide.

/** One credit of the ledger. */
export type Credited = EventShape<"Credited", { readonly amount: number; readonly from: string }>;

const credited: EventTypeSpec = {
  type: "Credited",
  latestVersion: 1,
  versions: { 1: { version: 1, validator: z.strictObject({ amount: z.int().min(1), from: z.string() }), pii: [] } },
  upcasters: [],
};

/** The registry of workload A's store. */
export const ledgerRegistry = defineRegistry<Credited>({ context: "bench-ledger", events: { Credited: credited } });

/** The ledger's state: its balance and how many credits made it. */
export interface Ledger {
  readonly balance: number;
  readonly credits: number;
}

/** A command to credit the ledger. */
export interface Credit {
  readonly type: "Credit";
  readonly amount: number;
  readonly from: string;
}

/** The ledger decider: every credit of a positive amount is accepted. */
export const ledgerDecider = defineDecider<Ledger, Credit, Credited>({
  name: "bench-ledger",
  stateVersion: 1,
  initialState: { balance: 0, credits: 0 },
  evolve: (state, event) => ({ balance: state.balance + event.data.amount, credits: state.credits + 1 }),
  decide: (command) => [{ type: "Credited", data: { amount: command.amount, from: command.from } }],
});

/** The `n`-th seeded credit (amounts 1..7), so the expected balance is a plain sum. */
export function credit(n: number): Credited {
  return { type: "Credited", data: { amount: 1 + (n % 7), from: `c${n % 50}` } };
}
