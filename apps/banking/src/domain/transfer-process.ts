/**
 * The transfer process: a transfer touches two account streams, which no single append can
 * cover. It is recorded on its own stream and run step by step:
 *
 * 1. `TransferInitiated` on `transfer-<id>`;
 * 2. debit the payer (`MoneyWithdrawn`), refused → `TransferFailed` (nothing to compensate);
 * 3. credit the payee (`MoneyDeposited`), refused → refund the payer, `TransferFailed` compensated;
 * 4. `TransferCompleted`.
 *
 * Every step is idempotent (the accounts remember the transfer legs they booked), so running the
 * process again with the same transfer id — a retried request, or a restart after a crash —
 * resumes it where it stopped and never books a leg twice.
 *
 * @module
 */
import { isRejection } from "@strata/runtime";
import { accountDecider } from "./account.js";
import type { Bank } from "./bank.js";
import { customerName } from "./customer-names.js";
import { DomainRejection, ResourceNotFound } from "./domain-rejection.js";
import { stableId } from "./ids.js";
import type { Money } from "./money.js";
import { accountStream, refundReference, transferStream } from "./money.js";
import type { TransferFailureReason, TransferState } from "./transfer.js";

/** A transfer to run. */
export interface TransferRequest {
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly money: Money;
  readonly reference?: string | undefined;
}

/** How a transfer ended. */
export type TransferOutcome =
  | { readonly transferId: string; readonly status: "completed" }
  | { readonly transferId: string; readonly status: "failed"; readonly reason: TransferFailureReason; readonly compensated: boolean };

const FAILURE_REASONS: readonly string[] = ["insufficient_funds", "account_frozen", "account_closed", "account_not_found", "currency_mismatch"];

const reasonOf = (code: string): TransferFailureReason => (FAILURE_REASONS.includes(code) ? (code as TransferFailureReason) : "account_not_found");

function outcomeOf(state: TransferState): TransferOutcome | undefined {
  const transferId = state.transferId ?? "";
  if (state.status === "completed") return { transferId, status: "completed" };
  if (state.status === "failed" && state.failure !== null) return { transferId, status: "failed", ...state.failure };
  return undefined;
}

/** Runs (or resumes) a transfer. Throws {@link ResourceNotFound} when an account does not exist. */
export async function runTransfer(bank: Bank, request: TransferRequest, metadata: Readonly<Record<string, unknown>> = {}): Promise<TransferOutcome> {
  const { transferId, money } = request;
  const stream = transferStream(transferId);
  const ids = (step: string): { eventIds: string[]; metadata: Readonly<Record<string, unknown>> } => ({
    eventIds: [stableId(`transfer:${transferId}:${step}`)],
    metadata: { ...metadata, causationId: transferId },
  });

  const existing = await bank.transfers.load(stream);
  const finished = outcomeOf(existing.state);
  if (finished !== undefined) {
    // A retried request gets the original outcome; another request under the same id is refused.
    const same =
      existing.state.fromAccountId === request.fromAccountId &&
      existing.state.toAccountId === request.toAccountId &&
      existing.state.money?.amountMinor === money.amountMinor &&
      existing.state.money.currency === money.currency;
    if (!same) throw new DomainRejection(stream, { code: "transfer_id_reused" });
    return finished;
  }

  const payer = await bank.accounts.load(accountStream(request.fromAccountId));
  const payee = await bank.accounts.load(accountStream(request.toAccountId));
  if (payer.state.customerId === null) throw new ResourceNotFound("account", request.fromAccountId);
  if (payee.state.customerId === null) throw new ResourceNotFound("account", request.toAccountId);
  const payerName = await customerName(bank.store, payer.state.customerId);
  const payeeName = await customerName(bank.store, payee.state.customerId);

  const initiated = await bank.transfers.handle(
    stream,
    {
      type: "InitiateTransfer",
      data: {
        transferId,
        fromAccountId: request.fromAccountId,
        toAccountId: request.toAccountId,
        fromCustomerId: payer.state.customerId,
        toCustomerId: payee.state.customerId,
        money,
        payerName: payerName ?? "",
        payeeName: payeeName ?? "",
        ...(request.reference === undefined ? {} : { reference: request.reference }),
      },
    },
    { ...ids("initiated"), metadata: { ...metadata } },
  );
  if (initiated.status === "rejected") throw new DomainRejection(stream, initiated.error);

  const fail = async (reason: TransferFailureReason, compensated: boolean): Promise<TransferOutcome> => {
    const failed = await bank.transfers.handle(stream, { type: "FailTransfer", reason, compensated }, ids("failed"));
    if (failed.status === "rejected") throw new DomainRejection(stream, failed.error);
    return outcomeOf((await bank.transfers.load(stream)).state) ?? { transferId, status: "failed", reason, compensated };
  };

  // A resumed transfer whose refund was already booked must not try the credit again.
  if (payer.state.transferLegs.includes(refundReference(transferId))) {
    const retried = accountDecider.decide({ type: "CreditTransfer", transferId, money }, payee.state);
    return fail(isRejection(retried) ? reasonOf(retried.error.code) : "account_frozen", true);
  }

  const debit = await bank.accounts.handle(accountStream(request.fromAccountId), { type: "DebitTransfer", transferId, money }, ids("debit"));
  if (debit.status === "rejected") return fail(reasonOf(debit.error.code), false);

  const credit = await bank.accounts.handle(accountStream(request.toAccountId), { type: "CreditTransfer", transferId, money }, ids("credit"));
  if (credit.status === "rejected") {
    const refund = await bank.accounts.handle(accountStream(request.fromAccountId), { type: "RefundTransfer", transferId, money }, ids("refund"));
    if (refund.status === "rejected") throw new DomainRejection(accountStream(request.fromAccountId), refund.error);
    return fail(reasonOf(credit.error.code), true);
  }

  const completed = await bank.transfers.handle(stream, { type: "CompleteTransfer" }, ids("completed"));
  if (completed.status === "rejected") throw new DomainRejection(stream, completed.error);
  return outcomeOf((await bank.transfers.load(stream)).state) ?? { transferId, status: "completed" };
}
