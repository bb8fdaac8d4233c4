// The transfer process resumes where it stopped: run again after a crash (or on a retried
// request) it books every leg exactly once.
import { randomUUID } from "node:crypto";
import { bankingRegistry } from "@strata/banking-events";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { beforeAll, expect, it } from "vitest";
import { ephemeralKeys } from "../infra/secrets.js";
import type { Bank } from "./bank.js";
import { createBank, execute } from "./bank.js";
import { accountDecider } from "./account.js";
import { customerDecider } from "./customer.js";
import { accountStream, customerStream, transferStream } from "./money.js";
import { runTransfer } from "./transfer-process.js";

const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });
const quiet = { debug: () => undefined, warn: () => undefined };

describeEachBackend("transfer process", (backend) => {
  let bank: Bank;
  beforeAll(async () => {
    bank = createBank(await backend.createStore(bankingRegistry, { personalData: { kek: ephemeralKeys().kek } }), quiet);
  });

  async function account(depositMinor: number): Promise<string> {
    const customerId = randomUUID();
    const accountId = randomUUID();
    const address = { street: "s", city: "c", postalCode: "1", country: "DE" };
    await execute(bank, bank.customers, customerDecider, customerStream(customerId), { type: "RegisterCustomer", data: { customerId, name: "N", email: "n@example.org", address } });
    await execute(bank, bank.accounts, accountDecider, accountStream(accountId), { type: "OpenAccount", accountId, customerId, currency: "EUR", overdraftLimitMinor: 0 });
    if (depositMinor > 0) await execute(bank, bank.accounts, accountDecider, accountStream(accountId), { type: "Deposit", money: eur(depositMinor), source: "cash" });
    return accountId;
  }

  const types = async (streamId: string): Promise<string[]> => {
    const out: string[] = [];
    for await (const event of bank.store.readStream(streamId)) out.push(event.type);
    return out;
  };

  it("resumes a transfer that crashed after the debit, and books the credit once", async () => {
    const from = await account(1_000);
    const to = await account(0);
    const transferId = randomUUID();
    // The first run got as far as the debit, then the process died.
    await bank.transfers.handle(transferStream(transferId), {
      type: "InitiateTransfer",
      data: { transferId, fromAccountId: from, toAccountId: to, fromCustomerId: randomUUID(), toCustomerId: randomUUID(), money: eur(400), payerName: "A", payeeName: "B" },
    });
    await bank.accounts.handle(accountStream(from), { type: "DebitTransfer", transferId, money: eur(400) });

    const outcome = await runTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(400) });
    expect(outcome).toEqual({ transferId, status: "completed" });
    expect(await runTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(400) })).toEqual(outcome);
    expect(await types(accountStream(from))).toEqual(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]);
    expect(await types(accountStream(to))).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect(await types(transferStream(transferId))).toEqual(["TransferInitiated", "TransferCompleted"]);
  });

  it("does not credit a transfer whose refund was already booked, even once the payee is open again", async () => {
    const from = await account(1_000);
    const to = await account(0);
    const transferId = randomUUID();
    await bank.transfers.handle(transferStream(transferId), {
      type: "InitiateTransfer",
      data: { transferId, fromAccountId: from, toAccountId: to, fromCustomerId: randomUUID(), toCustomerId: randomUUID(), money: eur(400), payerName: "A", payeeName: "B" },
    });
    await bank.accounts.handle(accountStream(from), { type: "DebitTransfer", transferId, money: eur(400) });
    await bank.accounts.handle(accountStream(from), { type: "RefundTransfer", transferId, money: eur(400) });

    const outcome = await runTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(400) });
    expect(outcome).toMatchObject({ status: "failed", compensated: true });
    expect(await types(accountStream(to))).toEqual(["AccountOpened"]);
    expect((await bank.accounts.load(accountStream(from))).state.balanceMinor).toBe(1_000);
  });

  it("refuses another transfer under an id already used, finished or not", async () => {
    const from = await account(1_000);
    const to = await account(0);
    const finishedId = randomUUID();
    await runTransfer(bank, { transferId: finishedId, fromAccountId: from, toAccountId: to, money: eur(100) });
    await expect(runTransfer(bank, { transferId: finishedId, fromAccountId: from, toAccountId: to, money: eur(999) })).rejects.toMatchObject({ error: { code: "transfer_id_reused" } });
    const pendingId = randomUUID();
    await bank.transfers.handle(transferStream(pendingId), {
      type: "InitiateTransfer",
      data: { transferId: pendingId, fromAccountId: from, toAccountId: to, fromCustomerId: randomUUID(), toCustomerId: randomUUID(), money: eur(100), payerName: "A", payeeName: "B" },
    });
    await expect(runTransfer(bank, { transferId: pendingId, fromAccountId: to, toAccountId: from, money: eur(100) })).rejects.toMatchObject({ error: { code: "transfer_id_reused" } });
    expect((await bank.accounts.load(accountStream(from))).state.balanceMinor).toBe(900);
  });
});
