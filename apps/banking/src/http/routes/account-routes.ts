/**
 * Accounts: commands, the state now or in the past (time travel), the raw event history
 * (upcast), and the transaction history and balances read models.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { accountDecider } from "../../domain/account.js";
import type { AccountCommand } from "../../domain/account-commands.js";
import type { AccountState } from "../../domain/account-state.js";
import { execute } from "../../domain/bank.js";
import { ResourceNotFound } from "../../domain/domain-rejection.js";
import { stableId } from "../../domain/ids.js";
import { accountStream, customerStream } from "../../domain/money.js";
import type { BankingServices } from "../../services.js";
import type { CommandHeaders } from "../command-options.js";
import { commandOptions, commandResult } from "../command-options.js";
import type { Principal } from "../../auth/principal.js";
import { requireOwnedResource, requireOwner } from "../../auth/ownership.js";
import { defineRoute } from "../route.js";
import type { AnyRoute } from "../route.js";
import {
  accountView,
  balanceView,
  commandHeaders,
  commandResponse,
  depositBody,
  eventView,
  freezeBody,
  idParams,
  openAccountBody,
  pageOf,
  pageQuery,
  timeTravelQuery,
  transactionView,
  withdrawBody,
} from "../schemas.js";
import { toEventView } from "./event-view.js";

type AccountViewBody = z.infer<typeof accountView>;

function toAccountView(accountId: string, state: AccountState, version: number): AccountViewBody {
  if (state.status === "none" || state.customerId === null || state.currency === null) throw new ResourceNotFound("account", accountId);
  return {
    accountId,
    customerId: state.customerId,
    currency: state.currency,
    status: state.status,
    balanceMinor: state.balanceMinor,
    overdraftLimitMinor: state.overdraftLimitMinor,
    version,
  };
}

/** The account routes. */
export function accountRoutes(services: BankingServices): AnyRoute[] {
  const { bank, readModels } = services;
  /** 404 for an unknown account, and the same 404 for a customer's request on someone else's. */
  const requireAccount = async (accountId: string, principal: Principal | undefined): Promise<void> => {
    if (principal?.role === "customer") return requireOwnedResource(principal, "account", accountId, (await bank.accounts.load(accountStream(accountId))).state.customerId);
    if ((await bank.store.streamVersion(accountStream(accountId))) === undefined) throw new ResourceNotFound("account", accountId);
  };
  const command = <B>(url: string, summary: string, body: z.ZodType<B>, toCommand: (body: B) => AccountCommand): AnyRoute =>
    defineRoute<{ id: string }, undefined, CommandHeaders, B>({
      method: "POST",
      url: `/accounts/:id/${url}`,
      tag: "accounts",
      access: ["teller"],
      summary,
      params: idParams,
      headers: commandHeaders,
      body,
      responses: { 200: { description: "Applied (or already applied: same Idempotency-Key).", schema: commandResponse } },
      problems: [400, 404, 409, 422],
      handler: async ({ params, headers, body: parsed, request, reply, principal }) => {
        await requireAccount(params.id, principal);
        const applied = await execute(bank, bank.accounts, accountDecider, accountStream(params.id), toCommand(parsed), commandOptions(headers, request, services.fingerprintKeys));
        return commandResult(applied, reply);
      },
    });

  return [
    defineRoute({
      method: "POST",
      url: "/accounts",
      tag: "accounts",
      access: ["teller"],
      summary: "Open an account for a customer",
      headers: commandHeaders,
      body: openAccountBody,
      responses: { 201: { description: "Opened.", schema: commandResponse.extend({ accountId: z.string() }) } },
      problems: [400, 404, 409, 422],
      handler: async ({ headers, body, request, reply }) => {
        if ((await bank.store.streamVersion(customerStream(body.customerId))) === undefined) throw new ResourceNotFound("customer", body.customerId);
        const key = headers["idempotency-key"];
        const accountId = key === undefined ? randomUUID() : stableId(`account:${key}`);
        const applied = await execute(bank, bank.accounts, accountDecider, accountStream(accountId), { type: "OpenAccount", accountId, ...body }, commandOptions(headers, request, services.fingerprintKeys));
        void reply.code(201).header("location", `/accounts/${accountId}`);
        return { accountId, ...commandResult(applied, reply) };
      },
    }),
    command("deposits", "Deposit money (cash or card)", depositBody, (body) => ({ type: "Deposit", ...body })),
    command("withdrawals", "Withdraw money, at most down to minus the overdraft limit", withdrawBody, (body) => ({ type: "Withdraw", ...body })),
    command("freeze", "Freeze the account: no money moves in or out", freezeBody, (body) => ({ type: "Freeze", reason: body.reason })),
    command("close", "Close the account (only at a zero balance)", z.strictObject({}), () => ({ type: "Close" })),
    defineRoute({
      method: "GET",
      url: "/accounts/:id",
      tag: "accounts",
      access: ["customer", "teller", "compliance"],
      summary: "The account now, or as it was at a stream version (atVersion) or an instant (asOf)",
      params: idParams,
      query: timeTravelQuery,
      responses: { 200: { description: "The account's state.", schema: accountView } },
      problems: [400, 404],
      handler: async ({ params, query, reply, principal }) => {
        const target = query.atVersion !== undefined ? { atVersion: query.atVersion } : query.asOf !== undefined ? { asOf: new Date(query.asOf) } : {};
        await requireAccount(params.id, principal);
        const loaded = await bank.accounts.load(accountStream(params.id), target);
        void reply.header("etag", `"${loaded.version}"`);
        return toAccountView(params.id, loaded.state, loaded.version);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/accounts/:id/events",
      tag: "accounts",
      access: ["customer", "teller", "compliance"],
      summary: "The account's events, upcast to the latest schema (storedSchemaVersion says how each was written)",
      params: idParams,
      query: pageQuery,
      responses: { 200: { description: "A page of events.", schema: pageOf(eventView) } },
      problems: [400, 404],
      handler: async ({ params, query, principal }) => {
        await requireAccount(params.id, principal);
        const after = query.after === undefined ? 0 : Number.parseInt(query.after, 10) || 0;
        const events = [];
        for await (const event of bank.store.readStream(accountStream(params.id), { fromVersion: after + 1, limit: query.limit + 1 })) events.push(toEventView(event));
        const items = events.slice(0, query.limit);
        return { items, next: events.length > query.limit ? String(items.at(-1)?.version ?? after) : null };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/accounts/:id/transactions",
      tag: "accounts",
      access: ["customer", "teller", "compliance"],
      summary: "Transaction history (read model), paged by stream version",
      params: idParams,
      query: pageQuery,
      responses: { 200: { description: "A page of transactions.", schema: pageOf(transactionView) } },
      problems: [400, 404],
      handler: async ({ params, query, principal }) => {
        await requireAccount(params.id, principal);
        return readModels.transactions(params.id, query);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/balances",
      tag: "accounts",
      access: ["customer", "teller", "compliance"],
      summary: "Balances of every account, or of one customer's (read model); a customer sees their own",
      query: z.strictObject({ customerId: idParams.shape.id.optional() }),
      responses: { 200: { description: "Balances.", schema: z.object({ items: z.array(balanceView), totalMinorByCurrency: z.record(z.string(), z.number()) }) } },
      problems: [400],
      handler: async ({ query, principal }) => {
        const customerId = principal?.role === "customer" ? principal.customerId : query.customerId;
        if (query.customerId !== undefined) requireOwner(principal, query.customerId);
        const items = await readModels.balances({ customerId });
        const totalMinorByCurrency: Record<string, number> = {};
        for (const item of items) totalMinorByCurrency[item.currency] = (totalMinorByCurrency[item.currency] ?? 0) + item.balanceMinor;
        return { items, totalMinorByCurrency };
      },
    }),
  ];
}
