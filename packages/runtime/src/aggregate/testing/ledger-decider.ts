/**
 * A test decider whose state uses every type snapshots must keep: bigint, Date, Map and Set.
 * `evolve` is deliberately order-sensitive so that a wrong fold shows up as a different state.
 */
import { defineDecider, reject } from "../decider.js";
import type { EventShape, SchemaValidator } from "../../registry.js";

export type LedgerEvent =
  | EventShape<"Credited", { readonly amount: number; readonly from: string; readonly at: string }>
  | EventShape<"Debited", { readonly amount: number; readonly to: string; readonly at: string }>
  | EventShape<"Tagged", { readonly tag: string }>
  | EventShape<"Closed", { readonly reason: string }>;

export type LedgerCommand =
  | { readonly type: "Credit"; readonly amount: number; readonly from: string }
  | { readonly type: "Debit"; readonly amount: number; readonly to: string }
  | { readonly type: "Tag"; readonly tag: string }
  | { readonly type: "Close"; readonly reason: string };

export type LedgerError =
  | { readonly code: "insufficient_funds"; readonly balance: bigint }
  | { readonly code: "closed" }
  | { readonly code: "invalid_amount" };

export interface LedgerState {
  readonly balance: bigint;
  readonly counterparties: ReadonlyMap<string, bigint>;
  readonly tags: ReadonlySet<string>;
  readonly lastActivity: Date | null;
  readonly checksum: number;
  readonly closed: boolean;
}

const initialState: LedgerState = {
  balance: 0n,
  counterparties: new Map(),
  tags: new Set(),
  lastActivity: null,
  checksum: 0,
  closed: false,
};

/** The ledger's own fold, for variants that wrap it. */
export { evolve as ledgerEvolve };

const mix = (checksum: number, value: number): number => (Math.imul(checksum, 31) + value) | 0;

function evolve(state: LedgerState, event: LedgerEvent): LedgerState {
  switch (event.type) {
    case "Credited": {
      const counterparties = new Map(state.counterparties);
      counterparties.set(event.data.from, (counterparties.get(event.data.from) ?? 0n) + BigInt(event.data.amount));
      return { ...state, balance: state.balance + BigInt(event.data.amount), counterparties, lastActivity: new Date(event.data.at), checksum: mix(state.checksum, event.data.amount) };
    }
    case "Debited": {
      const counterparties = new Map(state.counterparties);
      counterparties.set(event.data.to, (counterparties.get(event.data.to) ?? 0n) - BigInt(event.data.amount));
      return { ...state, balance: state.balance - BigInt(event.data.amount), counterparties, lastActivity: new Date(event.data.at), checksum: mix(state.checksum, -event.data.amount) };
    }
    case "Tagged":
      return { ...state, tags: new Set([...state.tags, event.data.tag]), checksum: mix(state.checksum, event.data.tag.length) };
    case "Closed":
      return { ...state, closed: true, checksum: mix(state.checksum, 7) };
  }
}

const at = "2026-01-01T00:00:00.000Z";

/** Variations tests need: another state version or `evolve`, a state schema, declared subjects. */
export interface LedgerVariant {
  readonly stateVersion?: number;
  readonly evolve?: (state: LedgerState, event: LedgerEvent) => LedgerState;
  readonly stateSchema?: SchemaValidator<LedgerState>;
  /** Treat counterparties as data subjects. */
  readonly counterpartiesAreSubjects?: boolean;
}

/** The ledger decider. */
export function ledgerDecider(variant: LedgerVariant = {}) {
  return defineDecider<LedgerState, LedgerCommand, LedgerEvent, LedgerError>({
    name: "ledger",
    stateVersion: variant.stateVersion ?? 1,
    initialState,
    evolve: variant.evolve ?? evolve,
    ...(variant.stateSchema === undefined ? {} : { stateSchema: variant.stateSchema }),
    ...(variant.counterpartiesAreSubjects === true ? { subjects: (state: LedgerState) => [...state.counterparties.keys()] } : {}),
    decide(command, state) {
      if (state.closed) return reject({ code: "closed" });
      switch (command.type) {
        case "Credit":
          if (command.amount <= 0) return reject({ code: "invalid_amount" });
          return [{ type: "Credited", data: { amount: command.amount, from: command.from, at } }];
        case "Debit":
          if (command.amount <= 0) return reject({ code: "invalid_amount" });
          if (state.balance < BigInt(command.amount)) return reject({ code: "insufficient_funds", balance: state.balance });
          return [{ type: "Debited", data: { amount: command.amount, to: command.to, at } }];
        case "Tag":
          return state.tags.has(command.tag) ? [] : [{ type: "Tagged", data: { tag: command.tag } }];
        case "Close":
          return [{ type: "Closed", data: { reason: command.reason } }];
      }
    },
  });
}
