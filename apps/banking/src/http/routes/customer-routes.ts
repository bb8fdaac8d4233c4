/**
 * Customers: registration (command), the directory (read model), export and erasure.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { execute } from "../../domain/bank.js";
import { customerDecider } from "../../domain/customer.js";
import { ResourceNotFound } from "../../domain/domain-rejection.js";
import { stableId } from "../../domain/ids.js";
import { customerStream } from "../../domain/money.js";
import type { BankingServices } from "../../services.js";
import { commandOptions, commandResult } from "../command-options.js";
import { NotAvailableError } from "../not-available.js";
import { requireOwnedResource } from "../../auth/ownership.js";
import { defineRoute } from "../route.js";
import type { AnyRoute } from "../route.js";
import { balanceView, commandHeaders, commandResponse, customerView, erasureReply, eventView, idParams, pageOf, pageQuery, registerCustomerBody } from "../schemas.js";
import { toEventView } from "./event-view.js";

async function requireCustomer(services: BankingServices, customerId: string): Promise<void> {
  if ((await services.bank.store.streamVersion(customerStream(customerId))) === undefined) throw new ResourceNotFound("customer", customerId);
}

/** The customer routes. */
export function customerRoutes(services: BankingServices): AnyRoute[] {
  const { bank, readModels } = services;
  return [
    defineRoute({
      method: "POST",
      url: "/customers",
      tag: "customers",
      access: ["teller"],
      summary: "Register a customer (name, email and address are personal data)",
      headers: commandHeaders,
      body: registerCustomerBody,
      responses: { 201: { description: "Registered.", schema: commandResponse.extend({ customerId: z.string() }) } },
      problems: [400, 409, 422],
      handler: async ({ headers, body, request, reply }) => {
        const key = headers["idempotency-key"];
        const customerId = key === undefined ? randomUUID() : stableId(`customer:${key}`);
        const applied = await execute(bank, bank.customers, customerDecider, customerStream(customerId), { type: "RegisterCustomer", data: { customerId, ...body } }, commandOptions(headers, request, services.fingerprintKeys));
        void reply.code(201).header("location", `/customers/${customerId}`);
        return { customerId, ...commandResult(applied, reply) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/customers",
      tag: "customers",
      access: ["teller", "compliance"],
      summary: "The customer directory (read model), paged by customer id",
      query: pageQuery,
      responses: { 200: { description: "A page of customers.", schema: pageOf(customerView) } },
      problems: [400],
      handler: async ({ query }) => readModels.customers(query),
    }),
    defineRoute({
      method: "GET",
      url: "/customers/:id",
      tag: "customers",
      access: ["customer", "teller", "compliance"],
      summary: "One directory entry (read model); erased fields read {\"$erased\": true}",
      params: idParams,
      responses: { 200: { description: "The customer.", schema: customerView } },
      problems: [400, 404],
      handler: async ({ params, principal }) => {
        requireOwnedResource(principal, "customer", params.id, params.id);
        const customer = await readModels.customer(params.id);
        if (customer === undefined) throw new ResourceNotFound("customer", params.id);
        return customer;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/customers/:id/export",
      tag: "customers",
      access: ["compliance"],
      summary: "Everything stored about a customer (data-subject access): their events and accounts",
      params: idParams,
      responses: {
        200: {
          description: "The export.",
          schema: z.object({
            customerId: z.string(),
            events: z.array(eventView),
            accounts: z.array(balanceView),
            personalData: z.unknown().describe("Every personal field stored about the customer, from the runtime's subject export (absent without crypto-shredding)."),
          }),
        },
      },
      problems: [400, 404],
      handler: async ({ params }) => {
        await requireCustomer(services, params.id);
        const events = [];
        for await (const event of bank.store.readStream(customerStream(params.id))) events.push(toEventView(event));
        const accounts = await readModels.balances({ customerId: params.id });
        const personalData = services.erasure === undefined ? undefined : await services.erasure.exportSubject(params.id);
        return { customerId: params.id, events, accounts, ...(personalData === undefined ? {} : { personalData }) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/customers/:id/erasure",
      tag: "customers",
      access: ["compliance"],
      summary: "Erase a customer's personal data (crypto-shredding); history and balances stay",
      params: idParams,
      responses: {
        200: {
          description: "Erased: every place is done (idempotent: a repeat reports `already-erased`).",
          schema: erasureReply,
        },
        202: {
          description: "Accepted: the key is deleted, but a place (a read model behind or stopped) is not done yet; `pending` lists them. It completes by itself; ask again to check.",
          schema: erasureReply,
        },
      },
      problems: [400, 404, 501],
      handler: async ({ params, reply }) => {
        await requireCustomer(services, params.id);
        if (services.erasure === undefined) throw new NotAvailableError("Erasure", "crypto-shredding (start the app with personal-data keys)");
        // The runtime deletes the key and appends `$strata.SubjectErased`; the directory projection scrubs its row on it.
        const { outcome, pending } = await services.erasure.erase(params.id);
        const complete = outcome !== "pending" && outcome !== "failed";
        if (!complete) void reply.code(202);
        return { customerId: params.id, erased: complete, outcome, pending };
      },
    }),
  ];
}
