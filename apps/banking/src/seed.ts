/**
 * Demo data, written on the first start: two customers, three accounts, deposits of which some
 * were written by earlier releases (MoneyDeposited v1 and v2, see `legacy-writers.ts`), a
 * withdrawal and a transfer. Ids are fixed so the tour and the docs can name them.
 *
 * @module
 */
import { accountDecider } from "./domain/account.js";
import type { Bank } from "./domain/bank.js";
import { execute } from "./domain/bank.js";
import { customerDecider } from "./domain/customer.js";
import { stableId } from "./domain/ids.js";
import { accountStream, customerStream } from "./domain/money.js";
import { runTransfer } from "./domain/transfer-process.js";
import type { AppDatabase } from "./infra/open-database.js";
import { openLegacyWriter, releaseOneRegistry, releaseTwoRegistry } from "./legacy-writers.js";

/** The demo's fixed ids. */
export const DEMO = {
  ada: stableId("demo:customer:ada"),
  alan: stableId("demo:customer:alan"),
  adaEuro: stableId("demo:account:ada-eur"),
  adaPound: stableId("demo:account:ada-gbp"),
  alanEuro: stableId("demo:account:alan-eur"),
  transfer: stableId("demo:transfer:1"),
} as const;

/** Whether the store already holds the demo (or any customer). */
export async function isSeeded(bank: Bank): Promise<boolean> {
  return (await bank.store.listStreams({ prefix: "customer-", limit: 1 })).streams.length > 0;
}

/** Writes the demo data. Idempotent: every event has a fixed id, so running it twice appends nothing new. */
export async function seedDemo(bank: Bank, database: AppDatabase, storeSchema: string): Promise<void> {
  const once = (name: string) => ({ eventId: stableId(`demo:event:${name}`) });
  const register = async (customerId: string, name: string, email: string, city: string, country: string) =>
    execute(bank, bank.customers, customerDecider, customerStream(customerId), {
      type: "RegisterCustomer",
      data: { customerId, name, email, address: { street: "1 Demo Street", city, postalCode: "00000", country } },
    }, once(`register:${customerId}`));
  await register(DEMO.ada, "Ada Lovelace", "ada@example.org", "London", "GB");
  await register(DEMO.alan, "Alan Turing", "alan@example.org", "Manchester", "GB");

  const open = async (accountId: string, customerId: string, currency: "EUR" | "GBP", overdraftLimitMinor: number) =>
    execute(bank, bank.accounts, accountDecider, accountStream(accountId), { type: "OpenAccount", accountId, customerId, currency, overdraftLimitMinor }, once(`open:${accountId}`));
  await open(DEMO.adaEuro, DEMO.ada, "EUR", 10_000);
  await open(DEMO.adaPound, DEMO.ada, "GBP", 0);
  await open(DEMO.alanEuro, DEMO.alan, "EUR", 0);

  // History from earlier releases: release 1 knew only euro cents, release 2 added the currency.
  const releaseOne = await openLegacyWriter(releaseOneRegistry, database.config, storeSchema);
  const releaseTwo = await openLegacyWriter(releaseTwoRegistry, database.config, storeSchema);
  try {
    await releaseOne.append(accountStream(DEMO.adaEuro), [{ type: "MoneyDeposited", data: { accountId: DEMO.adaEuro, amount: 50_000 }, id: once("v1:ada").eventId }]);
    await releaseTwo.append(accountStream(DEMO.adaEuro), [{ type: "MoneyDeposited", data: { accountId: DEMO.adaEuro, amount: 12_500, currency: "EUR" }, id: once("v2:ada").eventId }]);
    await releaseTwo.append(accountStream(DEMO.adaPound), [{ type: "MoneyDeposited", data: { accountId: DEMO.adaPound, amount: 30_000, currency: "GBP" }, id: once("v2:ada-gbp").eventId }]);
    await releaseOne.append(accountStream(DEMO.alanEuro), [{ type: "MoneyDeposited", data: { accountId: DEMO.alanEuro, amount: 20_000 }, id: once("v1:alan").eventId }]);
  } finally {
    await releaseOne.close();
    await releaseTwo.close();
  }

  // Today's release.
  await execute(bank, bank.accounts, accountDecider, accountStream(DEMO.alanEuro), { type: "Deposit", money: { amountMinor: 7_500, currency: "EUR" }, source: "card" }, once("v3:alan"));
  await execute(bank, bank.accounts, accountDecider, accountStream(DEMO.adaEuro), { type: "Withdraw", money: { amountMinor: 2_000, currency: "EUR" }, reference: "Coffee beans" }, once("withdraw:ada"));
  await runTransfer(bank, { transferId: DEMO.transfer, fromAccountId: DEMO.adaEuro, toAccountId: DEMO.alanEuro, money: { amountMinor: 10_000, currency: "EUR" }, reference: "Analytical engine parts" });
}
