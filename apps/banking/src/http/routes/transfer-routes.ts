/**
 * Transfers between two accounts, run by the transfer process (with compensation).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DomainRejection, ResourceNotFound } from "../../domain/domain-rejection.js";
import { idFromKey } from "../../domain/ids.js";
import { transferStream } from "../../domain/money.js";
import { runTransfer } from "../../domain/transfer-process.js";
import type { BankingServices } from "../../services.js";
import { defineRoute } from "../route.js";
import type { AnyRoute } from "../route.js";
import { commandHeaders, idParams, transferBody, transferView } from "../schemas.js";

/** The transfer routes. */
export function transferRoutes(services: BankingServices): AnyRoute[] {
  const { bank } = services;
  return [
    defineRoute({
      method: "POST",
      url: "/transfers",
      tag: "transfers",
      summary: "Transfer money between two accounts; a failed credit is compensated (422 with `compensated`)",
      headers: commandHeaders.pick({ "idempotency-key": true }),
      body: transferBody,
      responses: { 201: { description: "Completed.", schema: z.object({ transferId: z.string(), status: z.literal("completed") }) } },
      problems: [400, 404, 409, 422],
      handler: async ({ headers, body, request, reply }) => {
        const key = headers["idempotency-key"];
        const transferId = key === undefined ? randomUUID() : idFromKey(key);
        if (body.fromAccountId === body.toAccountId) throw new DomainRejection(transferStream(transferId), { code: "same_account" });
        const outcome = await runTransfer(bank, { transferId, ...body }, { correlationId: request.id });
        if (outcome.status === "failed") {
          const error = { code: outcome.reason, transferId, compensated: outcome.compensated };
          throw new DomainRejection(transferStream(transferId), error);
        }
        void reply.code(201).header("location", `/transfers/${transferId}`);
        return outcome;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/transfers/:id",
      tag: "transfers",
      summary: "A transfer's state",
      params: idParams,
      responses: { 200: { description: "The transfer.", schema: transferView } },
      problems: [400, 404],
      handler: async ({ params }) => {
        const { state } = await bank.transfers.load(transferStream(params.id));
        if (state.status === "none" || state.fromAccountId === null || state.toAccountId === null || state.money === null) throw new ResourceNotFound("transfer", params.id);
        return {
          transferId: params.id,
          status: state.status,
          fromAccountId: state.fromAccountId,
          toAccountId: state.toAccountId,
          money: state.money,
          ...(state.failure === null ? {} : state.failure),
        };
      },
    }),
  ];
}
