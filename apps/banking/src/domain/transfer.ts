/**
 * The transfer aggregate: the process's own stream, recording that a transfer started and how
 * it ended. The legs are booked on the account streams by the transfer process (`transfer-process.ts`).
 *
 * @module
 */
import type { bankingRegistry, TransferFailedV2, TransferInitiatedV2 } from "@strata/banking-events";
import { defineDecider, reject } from "@strata/runtime";
import type { DeciderEvent, DeciderFor } from "@strata/runtime";
import type { Money } from "./money.js";

/** Why a transfer failed, as `TransferFailed` records it. */
export type TransferFailureReason = TransferFailedV2["reason"];

/** The commands of a transfer stream. */
export type TransferCommand =
  | { readonly type: "InitiateTransfer"; readonly data: TransferInitiatedV2 }
  | { readonly type: "CompleteTransfer" }
  | { readonly type: "FailTransfer"; readonly reason: TransferFailureReason; readonly compensated: boolean };

/** Why a transfer command was refused. */
export type TransferError =
  | { readonly code: "transfer_not_found" }
  | { readonly code: "transfer_id_reused"; readonly transferId: string };

/** What the transfer decider remembers (no names: those are personal data). */
export interface TransferState {
  readonly status: "none" | "initiated" | "completed" | "failed";
  readonly transferId: string | null;
  readonly fromAccountId: string | null;
  readonly toAccountId: string | null;
  readonly money: Money | null;
  readonly failure: { readonly reason: TransferFailureReason; readonly compensated: boolean } | null;
}

/**
 * The transfer decider's type. `evolve` reads `TransferInitiated` with the payer's and payee's
 * names as `T | Erased`; the state keeps neither.
 */
export type TransferDecider = DeciderFor<typeof bankingRegistry, TransferState, TransferCommand, TransferError, "TransferInitiated" | "TransferCompleted" | "TransferFailed">;

/** The events of a transfer stream, as `decide` writes them. */
export type TransferEvent = DeciderEvent<TransferDecider>;

const sameTransfer = (state: TransferState, data: TransferInitiatedV2): boolean =>
  state.fromAccountId === data.fromAccountId &&
  state.toAccountId === data.toAccountId &&
  state.money?.amountMinor === data.money.amountMinor &&
  state.money.currency === data.money.currency;

/** The transfer decider. */
export const transferDecider = defineDecider<TransferDecider>({
  name: "banking-transfer",
  stateVersion: 1,
  initialState: { status: "none", transferId: null, fromAccountId: null, toAccountId: null, money: null, failure: null },
  evolve: (state, event) => {
    switch (event.type) {
      case "TransferInitiated":
        return {
          ...state,
          status: "initiated",
          transferId: event.data.transferId,
          fromAccountId: event.data.fromAccountId,
          toAccountId: event.data.toAccountId,
          money: event.data.money,
        };
      case "TransferCompleted":
        return { ...state, status: "completed" };
      case "TransferFailed":
        return { ...state, status: "failed", failure: { reason: event.data.reason, compensated: event.data.compensated } };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case "InitiateTransfer":
        if (state.status === "none") return [{ type: "TransferInitiated", data: command.data }];
        // A retried request resumes the transfer it started; another transfer under its id is refused.
        return sameTransfer(state, command.data) ? [] : reject({ code: "transfer_id_reused", transferId: command.data.transferId });
      case "CompleteTransfer":
      case "FailTransfer": {
        if (state.status === "none" || state.money === null) return reject({ code: "transfer_not_found" });
        if (state.status !== "initiated") return [];
        const base = { transferId: state.transferId ?? "", fromAccountId: state.fromAccountId ?? "", toAccountId: state.toAccountId ?? "" };
        if (command.type === "CompleteTransfer") return [{ type: "TransferCompleted", data: { ...base, money: state.money } }];
        return [{ type: "TransferFailed", data: { ...base, reason: command.reason, compensated: command.compensated } }];
      }
    }
  },
});
