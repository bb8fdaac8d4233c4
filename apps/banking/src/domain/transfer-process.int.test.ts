// The transfer process on the runtime's process manager: it resumes a transfer cut short (by a
// crash of the app, or of the process itself between two steps) and books every leg once.
import { randomUUID } from "node:crypto";
import { bankingRegistry } from "@strata/banking-events";
import { createProcessManagerRunner } from "@strata/runtime";
import type { DispatchContext, ProcessManagerRunner } from "@strata/runtime";
import { describeEachBackend } from "@strata/runtime/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ephemeralKeys } from "../infra/secrets.js";
import type { Bank } from "./bank.js";
import { createBank, execute } from "./bank.js";
import { accountDecider } from "./account.js";
import { customerDecider } from "./customer.js";
import { accountStream, customerStream, transferStream } from "./money.js";
import { awaitTransfer, initiateTransfer } from "./start-transfer.js";
import { transferDispatch } from "./transfer-dispatch.js";
import type { TransferProcessCommand } from "./transfer-process.js";
import { transferProcess } from "./transfer-process.js";

const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" as const });
const quiet = { debug: () => undefined, warn: () => undefined };

describeEachBackend("transfer process", (backend) => {
  let bank: Bank;
  let schema: string;
  const keys = ephemeralKeys();
  const runners: ProcessManagerRunner[] = [];
  beforeAll(async () => {
    schema = backend.freshSchema();
    bank = createBank(await backend.createStore(bankingRegistry, { schema, personalData: { kek: keys.kek } }), quiet);
  });
  afterAll(async () => {
    for (const runner of runners) await runner.close();
  });

  /**
   * A runner of the transfer process. `crashAfter`: right after that command its dispatch throws
   * once; with `hang`, it never returns instead, like a process killed there (its lease lapses).
   */
  async function runner(crashAfter?: TransferProcessCommand["type"], hang = false): Promise<ProcessManagerRunner> {
    const dispatch = transferDispatch(bank);
    let armed = crashAfter !== undefined;
    const created = await createProcessManagerRunner({
      database: backend.database(), schema, registry: bankingRegistry, store: bank.store, manager: transferProcess, personalData: { kek: keys.kek },
      leaseMs: 1_000, pollMs: 100, backoff: { initialMs: 5, maxMs: 20 }, maxAttempts: 10,
      dispatch: async (command: TransferProcessCommand, context: DispatchContext) => {
        const outcome = await dispatch(command, context);
        if (armed && command.type === crashAfter) {
          armed = false;
          if (hang) return new Promise<never>(() => undefined);
          throw new Error(`simulated crash after ${command.type}`);
        }
        return outcome;
      },
    });
    if (!hang) runners.push(created); // a hung runner cannot be closed: it stands for a dead process
    return created;
  }

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
  const balance = async (accountId: string) => (await bank.accounts.load(accountStream(accountId))).state.balanceMinor;
  /** Catches up until no step is left (each step's command is an event the process answers next). */
  const settle = async (pm: ProcessManagerRunner) => {
    for (let round = 0; round < 6; round += 1) await pm.catchUp();
  };

  it("completes a transfer: debit, credit, TransferCompleted, each once", async () => {
    const from = await account(1_000);
    const to = await account(0);
    const transferId = randomUUID();
    const pm = await runner();
    await initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(400) });
    await settle(pm);
    expect(await awaitTransfer(bank, transferId, 0)).toEqual({ transferId, status: "completed" });
    expect([await balance(from), await balance(to)]).toEqual([600, 400]);
    expect(await types(transferStream(transferId))).toEqual(["TransferInitiated", "TransferCompleted"]);
    await pm.close();
  });

  it("resumes a transfer whose process died right after the debit, with no second debit", async () => {
    const from = await account(1_000);
    const to = await account(0);
    const transferId = randomUUID();
    // The first runner stops dead right after the debit, holding its lease; its checkpoint never
    // moves past TransferInitiated (a real kill -9 of the app is test/crash-recovery.e2e.test.ts).
    const first = await runner("DebitTransfer", true);
    await initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(250) });
    void first.catchUp();
    for (let i = 0; i < 200 && (await types(accountStream(from))).length < 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await types(accountStream(from))).toEqual(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]);
    expect(await types(accountStream(to))).toEqual(["AccountOpened"]);

    const second = await runner();
    await settle(second);
    expect(await awaitTransfer(bank, transferId, 0)).toEqual({ transferId, status: "completed" });
    expect(await types(accountStream(from))).toEqual(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]);
    expect(await types(accountStream(to))).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect([await balance(from), await balance(to)]).toEqual([750, 250]);
    await second.close();
  });

  it("compensates a refused credit: the refund lands once, TransferFailed says compensated", async () => {
    const from = await account(1_000);
    const to = await account(0);
    await execute(bank, bank.accounts, accountDecider, accountStream(to), { type: "Freeze", reason: "fraud check" });
    const transferId = randomUUID();
    const pm = await runner("RefundTransfer");
    await initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(300) });
    await settle(pm).catch(() => undefined);
    await pm.close();
    const again = await runner();
    await settle(again);
    expect(await awaitTransfer(bank, transferId, 0)).toEqual({ transferId, status: "failed", reason: "account_frozen", compensated: true });
    expect(await types(accountStream(from))).toEqual(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited"]);
    expect(await balance(from)).toBe(1_000);
    await again.close();
  });

  it("fails a refused debit without compensation, and refuses another transfer under the same id", async () => {
    const from = await account(100);
    const to = await account(0);
    const transferId = randomUUID();
    const pm = await runner();
    await initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(500) });
    await settle(pm);
    expect(await awaitTransfer(bank, transferId, 0)).toEqual({ transferId, status: "failed", reason: "insufficient_funds", compensated: false });
    await initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(500) });
    await expect(initiateTransfer(bank, { transferId, fromAccountId: from, toAccountId: to, money: eur(1) })).rejects.toMatchObject({ error: { code: "transfer_id_reused" } });
    await pm.close();
  });
});
