// The transfer process's decisions, input by input (pure).
import { deadlineInput, eventInput, processManagerSpec, rejectedInput } from "@strata/runtime/testing";
import { describe, it } from "vitest";
import { transferProcess } from "./transfer-process.js";

const money = { amountMinor: 400, currency: "EUR" as const };
const recorded = <T extends string, D>(type: T, data: D) => ({ id: `${type}-1`, streamId: "s", version: 1, position: 1n, type, data, metadata: {}, recordedAt: new Date(0), schemaVersion: 1, storedSchemaVersion: 1, checkpoint: "1" });
const initiated = recorded("TransferInitiated", { transferId: "t1", fromAccountId: "a", toAccountId: "b", fromCustomerId: "c1", toCustomerId: "c2", money, payerName: "A", payeeName: "B" });
const debited = recorded("MoneyWithdrawn", { accountId: "a", money, reference: "transfer:t1" });
const credited = recorded("MoneyDeposited", { accountId: "b", money, source: "transfer", reference: "transfer:t1" });
const refunded = recorded("MoneyDeposited", { accountId: "a", money, source: "transfer", reference: "refund:t1" });
const leg = (type: "DebitTransfer" | "CreditTransfer" | "RefundTransfer", accountId: string) => ({ key: type, command: { type, accountId, transferId: "t1", money } });
// Recorded events are built by hand here; the spec hands them to decide as they are.
const spec = processManagerSpec(transferProcess, "t1");
const event = (e: unknown) => eventInput(e as never);

describe("transfer process", () => {
  it("debits the payer first, then credits the payee, then completes", () => {
    spec.given([]).when(event(initiated)).then({ commands: [leg("DebitTransfer", "a")] });
    spec.given([event(initiated)]).when(event(debited)).then({ commands: [leg("CreditTransfer", "b")] });
    spec.given([event(initiated), event(debited)]).when(event(credited)).then({ commands: [{ key: "CompleteTransfer", command: { type: "CompleteTransfer", transferId: "t1" } }] });
    spec.given([event(initiated), event(debited), event(credited)]).when(event(recorded("TransferCompleted", { transferId: "t1" }))).then({ done: true, commands: [] });
  });

  it("fails a refused debit with nothing to compensate", () => {
    spec.given([event(initiated)]).when(rejectedInput("DebitTransfer", leg("DebitTransfer", "a").command, { code: "insufficient_funds" })).then({
      commands: [{ key: "FailTransfer", command: { type: "FailTransfer", transferId: "t1", reason: "insufficient_funds", compensated: false } }],
    });
  });

  it("refunds a refused credit, then fails the transfer as compensated with the credit's reason", () => {
    const refused = rejectedInput("CreditTransfer", leg("CreditTransfer", "b").command, { code: "account_closed" });
    spec.given([event(initiated), event(debited)]).when(refused).then({ commands: [leg("RefundTransfer", "a")] });
    spec.given([event(initiated), event(debited), refused]).when(event(refunded)).then({
      commands: [{ key: "FailTransfer", command: { type: "FailTransfer", transferId: "t1", reason: "account_closed", compensated: true } }],
    });
  });

  it("ignores everything once it ended, and has no deadlines", () => {
    spec.given([event(initiated), event(recorded("TransferFailed", { transferId: "t1" }))]).when(event(debited)).then("ignored");
    // It schedules none, so none is ever delivered.
    spec.given([event(initiated)]).when(deadlineInput("none")).then("ignored");
  });
});
