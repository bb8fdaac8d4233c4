/**
 * Sends the transfer process's commands to the bank's command handlers, each under the id the
 * process gives it, so a command sent again after a crash appends nothing new.
 *
 * @module
 */
import type { DispatchContext, DispatchOutcome } from "@strata/runtime";
import type { Bank } from "./bank.js";
import { accountStream, transferStream } from "./money.js";
import type { TransferProcessCommand } from "./transfer-process.js";

/** The dispatch of the transfer process over `bank`. */
export function transferDispatch(bank: Bank): (command: TransferProcessCommand, context: DispatchContext) => Promise<DispatchOutcome> {
  return async (command, { commandId }) => {
    const options = { eventIds: [commandId] };
    switch (command.type) {
      case "DebitTransfer":
      case "CreditTransfer":
      case "RefundTransfer": {
        // A transfer that already ended (a process started over history recorded before this
        // release, for example) books nothing more: its stream is the truth about its outcome.
        const transfer = await bank.transfers.load(transferStream(command.transferId));
        if (transfer.state.status === "completed" || transfer.state.status === "failed") return { status: "accepted" };
        const { type, transferId, money } = command;
        return bank.accounts.handle(accountStream(command.accountId), { type, transferId, money }, options);
      }
      case "CompleteTransfer":
        return bank.transfers.handle(transferStream(command.transferId), { type: "CompleteTransfer" }, options);
      case "FailTransfer":
        return bank.transfers.handle(transferStream(command.transferId), { type: "FailTransfer", reason: command.reason, compensated: command.compensated }, options);
    }
  };
}
