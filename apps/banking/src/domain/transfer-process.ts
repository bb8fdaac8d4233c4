/**
 * The transfer process, run by the runtime's process manager. A transfer touches two account
 * streams, which no single append can cover:
 *
 * 1. `TransferInitiated` on `transfer-<id>` (the HTTP request stops there);
 * 2. the process debits the payer; refused → `TransferFailed` (nothing to compensate);
 * 3. on the debit (`MoneyWithdrawn` with reference `transfer:<id>`) it credits the payee; refused →
 *    it refunds the payer, and on the refund (`refund:<id>`) records `TransferFailed`, compensated;
 * 4. on the credit it records `TransferCompleted`; on `TransferCompleted`/`TransferFailed` it is done.
 *
 * Each decision is recorded in the process's stream before its command goes out under a
 * deterministic id, and the accounts remember the legs they booked: after a crash the process
 * resumes where it stopped, with no client action, and books no leg twice.
 *
 * @module
 */
import { bankingRegistry } from "@strata/banking-events";
import { defineProcessManager } from "@strata/runtime";
import type { ProcessDecision } from "@strata/runtime";
import type { Money } from "./money.js";
import { RESERVED_REFERENCE_PREFIXES } from "./money.js";
import type { TransferFailureReason } from "./transfer.js";

/** The commands the transfer process sends: the legs to accounts, the outcome to the transfer. */
export type TransferProcessCommand =
  | { readonly type: "DebitTransfer" | "CreditTransfer" | "RefundTransfer"; readonly accountId: string; readonly transferId: string; readonly money: Money }
  | { readonly type: "CompleteTransfer"; readonly transferId: string }
  | { readonly type: "FailTransfer"; readonly transferId: string; readonly reason: TransferFailureReason; readonly compensated: boolean };

/** What the process remembers (ids and amounts only: no personal data). */
export interface TransferProcessState {
  readonly fromAccountId: string | null;
  readonly toAccountId: string | null;
  readonly money: Money | null;
  /** Why the credit was refused, while the refund is under way. */
  readonly creditFailure: TransferFailureReason | null;
}

const FAILURE_REASONS: readonly string[] = ["insufficient_funds", "account_frozen", "account_closed", "account_not_found", "currency_mismatch", "balance_limit_exceeded"];

/** The failure reason a leg's refusal stands for. */
export function reasonOf(error: unknown): TransferFailureReason {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && FAILURE_REASONS.includes(code) ? (code as TransferFailureReason) : "account_not_found";
}

/** The transfer a leg's reference belongs to (`transfer:<id>` or `refund:<id>`). */
function transferOf(reference: string | undefined): { readonly kind: "transfer" | "refund"; readonly transferId: string } | undefined {
  for (const prefix of RESERVED_REFERENCE_PREFIXES) {
    if (reference?.startsWith(prefix) === true) return { kind: prefix === "transfer:" ? "transfer" : "refund", transferId: reference.slice(prefix.length) };
  }
  return undefined;
}

type Decision = ProcessDecision<TransferProcessState, TransferProcessCommand>;

/** The transfer process manager. */
export const transferProcess = defineProcessManager(bankingRegistry, {
  name: "transfer-process",
  handles: ["TransferInitiated", "MoneyWithdrawn", "MoneyDeposited", "TransferCompleted", "TransferFailed"],
  processId: (event) => {
    switch (event.type) {
      case "TransferInitiated":
      case "TransferCompleted":
      case "TransferFailed":
        return event.data.transferId;
      case "MoneyWithdrawn":
      case "MoneyDeposited":
        return transferOf(event.data.reference)?.transferId;
    }
  },
  initialState: { fromAccountId: null, toAccountId: null, money: null, creditFailure: null } as TransferProcessState,
  decide: (input, state, transferId): Decision => {
    const leg = (type: "DebitTransfer" | "CreditTransfer" | "RefundTransfer", accountId: string | null) =>
      accountId === null || state.money === null ? [] : [{ key: type, command: { type, accountId, transferId, money: state.money } }];
    const fail = (reason: TransferFailureReason, compensated: boolean) => [{ key: "FailTransfer", command: { type: "FailTransfer" as const, transferId, reason, compensated } }];
    switch (input.kind) {
      case "event": {
        const { event } = input;
        switch (event.type) {
          case "TransferInitiated": {
            const next = { ...state, fromAccountId: event.data.fromAccountId, toAccountId: event.data.toAccountId, money: event.data.money };
            return { state: next, commands: [{ key: "DebitTransfer", command: { type: "DebitTransfer", accountId: next.fromAccountId, transferId, money: next.money } }] };
          }
          case "MoneyWithdrawn":
            return { commands: leg("CreditTransfer", state.toAccountId) };
          case "MoneyDeposited":
            return transferOf(event.data.reference)?.kind === "refund"
              ? { commands: fail(state.creditFailure ?? "account_frozen", true) }
              : { commands: [{ key: "CompleteTransfer", command: { type: "CompleteTransfer", transferId } }] };
          case "TransferCompleted":
          case "TransferFailed":
            return { done: true };
        }
        return {};
      }
      case "rejected":
        if (input.commandKey === "DebitTransfer") return { commands: fail(reasonOf(input.error), false) };
        if (input.commandKey === "CreditTransfer") return { state: { ...state, creditFailure: reasonOf(input.error) }, commands: leg("RefundTransfer", state.fromAccountId) };
        // A refund lands on any account that exists; an outcome is refused only for an unknown transfer.
        return {};
      case "deadline":
        return {};
    }
  },
});
