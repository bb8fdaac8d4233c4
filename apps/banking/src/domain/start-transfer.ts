/**
 * What a transfer request does: record `TransferInitiated` (the transfer process takes it from
 * there), then wait a little for the outcome so that most clients get it in the same answer.
 *
 * @module
 */
import { isStrataError } from "@strata/runtime";
import type { Bank } from "./bank.js";
import { findOriginal, findRecentEvent } from "./request-replay.js";
import type { RequestFingerprint } from "./request-replay.js";
import { customerName } from "./customer-names.js";
import { DomainRejection, ResourceNotFound } from "./domain-rejection.js";
import type { Money } from "./money.js";
import { accountStream, transferStream } from "./money.js";
import type { TransferFailureReason, TransferState } from "./transfer.js";

/** A transfer to start. */
export interface TransferRequest {
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly money: Money;
  readonly reference?: string | undefined;
}

/** Where a transfer stands. */
export type TransferOutcome =
  | { readonly transferId: string; readonly status: "initiated" | "completed" }
  | { readonly transferId: string; readonly status: "failed"; readonly reason: TransferFailureReason; readonly compensated: boolean };

/** The outcome a transfer's state records. */
export function outcomeOf(transferId: string, state: TransferState): TransferOutcome {
  if (state.status === "failed" && state.failure !== null) return { transferId, status: "failed", ...state.failure };
  return { transferId, status: state.status === "completed" ? "completed" : "initiated" };
}

/**
 * Records `TransferInitiated` (idempotent: the same request under the same id appends nothing;
 * another request under it is refused with `transfer_id_reused`). Throws {@link ResourceNotFound}
 * for an unknown account.
 */
export async function initiateTransfer(bank: Bank, request: TransferRequest, metadata: Readonly<Record<string, unknown>> = {}, fingerprint?: RequestFingerprint): Promise<void> {
  const { transferId } = request;
  const stream = transferStream(transferId);
  // The transfer id is the Idempotency-Key's id (or random): as the id of its first event, a key
  // already used on another route collides there (event ids are unique across the store).
  const initiatedId = transferId;
  // Throws `idempotency_key_reused` when the transfer was recorded for another request.
  const checkOriginal = async (): Promise<void> => void (fingerprint === undefined ? undefined : await findOriginal(bank.store, stream, initiatedId, fingerprint));
  await checkOriginal();
  const payer = await bank.accounts.load(accountStream(request.fromAccountId));
  const payee = await bank.accounts.load(accountStream(request.toAccountId));
  if (payer.state.customerId === null) throw new ResourceNotFound("account", request.fromAccountId);
  if (payee.state.customerId === null) throw new ResourceNotFound("account", request.toAccountId);
  const payerName = await customerName(bank.store, payer.state.customerId);
  const payeeName = await customerName(bank.store, payee.state.customerId);
  const data = {
    transferId,
    fromAccountId: request.fromAccountId,
    toAccountId: request.toAccountId,
    fromCustomerId: payer.state.customerId,
    toCustomerId: payee.state.customerId,
    money: request.money,
    payerName: payerName ?? "",
    payeeName: payeeName ?? "",
    ...(request.reference === undefined ? {} : { reference: request.reference }),
  };
  let result;
  try {
    result = await bank.transfers.handle(stream, { type: "InitiateTransfer", data }, { eventIds: [initiatedId], metadata });
  } catch (error) {
    // A copy sent at once recorded it first (its personal fields were encrypted under another IV,
    // so the store sees other content under the same id): checked below like any other copy.
    if (!isStrataError(error, "DUPLICATE_EVENT_ID")) throw error;
    // The id is taken, but not in this transfer's stream: the key was used for another request.
    if ((await findRecentEvent(bank.store, stream, initiatedId, "all")) === undefined) throw new DomainRejection(stream, { code: "idempotency_key_reused" });
  }
  if (result?.status === "rejected") throw new DomainRejection(stream, fingerprint === undefined ? result.error : { code: "idempotency_key_reused" });
  // Recorded by another copy under the same key: the decider accepts the same legs whatever the
  // reference, so only the fingerprint tells whether that copy was this request.
  if (result === undefined || result.events.length === 0) await checkOriginal();
}

/** Waits up to `timeoutMs` for the transfer to end; returns where it stands then. */
export async function awaitTransfer(bank: Bank, transferId: string, timeoutMs: number): Promise<TransferOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (let pauseMs = 20; ; pauseMs = Math.min(pauseMs * 2, 250)) {
    const outcome = outcomeOf(transferId, (await bank.transfers.load(transferStream(transferId))).state);
    if (outcome.status !== "initiated" || Date.now() >= deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, deadline - Date.now()))));
  }
}
