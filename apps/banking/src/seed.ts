/**
 * Demo data, written on the first start: two customers, three accounts, deposits of which some
 * were written by earlier releases (MoneyDeposited v1 and v2, see `legacy-writers.ts`), a
 * withdrawal and a transfer. Ids are random per install; the demo customers get users of their own
 * (`ada`, `alan`) in development and memory modes, through which the tour finds their accounts.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { AuthSettings } from "./auth/auth-settings.js";
import { accountDecider } from "./domain/account.js";
import type { Bank } from "./domain/bank.js";
import { execute } from "./domain/bank.js";
import { customerDecider } from "./domain/customer.js";
import { stableId } from "./domain/ids.js";
import { accountStream, customerStream } from "./domain/money.js";
import { initiateTransfer } from "./domain/start-transfer.js";
import type { AppDatabase } from "./infra/open-database.js";
import { openLegacyWriter, releaseOneRegistry, releaseTwoRegistry } from "./legacy-writers.js";

/** The demo's ids: random per install, so that no two installs share a customer or account id. */
export interface DemoIds {
  readonly ada: string;
  readonly alan: string;
  readonly adaEuro: string;
  readonly adaPound: string;
  readonly alanEuro: string;
  readonly transfer: string;
}

/** Whether the store already holds the demo (or any customer). */
export async function isSeeded(bank: Bank): Promise<boolean> {
  return (await bank.store.listStreams({ prefix: "customer-", limit: 1 })).streams.length > 0;
}

/** Writes the demo data (once: `isSeeded` tells whether it is there) and the demo customers' users. */
export async function seedDemo(bank: Bank, database: AppDatabase, storeSchema: string, auth: AuthSettings): Promise<DemoIds> {
  const DEMO: DemoIds = { ada: randomUUID(), alan: randomUUID(), adaEuro: randomUUID(), adaPound: randomUUID(), alanEuro: randomUUID(), transfer: randomUUID() };
  const once = (name: string) => ({ eventId: stableId(`demo:event:${DEMO.ada}:${name}`) });
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
  // The transfer process completes it once it runs.
  await initiateTransfer(bank, { transferId: DEMO.transfer, fromAccountId: DEMO.adaEuro, toAccountId: DEMO.alanEuro, money: { amountMinor: 10_000, currency: "EUR" }, reference: "Analytical engine parts" });
  await auth.addDevUser("ada", "customer", DEMO.ada);
  await auth.addDevUser("alan", "customer", DEMO.alan);
  return DEMO;
}
