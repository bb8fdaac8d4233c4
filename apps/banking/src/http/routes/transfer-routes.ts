/**
 * Transfers between two accounts, run by the transfer process (with compensation).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DomainRejection, ResourceNotFound } from "../../domain/domain-rejection.js";
import { FINGERPRINT_KEY } from "../../domain/request-replay.js";
import { idFromKey } from "../../domain/ids.js";
import { requestFingerprint } from "../request-fingerprint.js";
import { accountStream, transferStream } from "../../domain/money.js";
import { awaitTransfer, initiateTransfer } from "../../domain/start-transfer.js";
import type { BankingServices } from "../../services.js";
import { requireOwnedResource } from "../../auth/ownership.js";
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
      access: ["customer", "teller"],
      summary: "Transfer money between two accounts, run by the transfer process; a failed credit is compensated (422 with `compensated`)",
      headers: commandHeaders.pick({ "idempotency-key": true }).extend({
        prefer: z.string().max(200).optional().describe("`respond-async`: answer 202 at once; otherwise the request waits up to a few seconds for the outcome."),
      }),
      body: transferBody,
      responses: {
        201: { description: "Completed.", schema: z.object({ transferId: z.string(), status: z.literal("completed") }) },
        202: { description: "Recorded; the transfer process is still on it (see `Location`). It ends completed or compensated without further requests.", schema: z.object({ transferId: z.string(), status: z.literal("initiated") }) },
      },
      problems: [400, 404, 409, 422],
      handler: async ({ headers, body, request, reply, principal }) => {
        // A customer sends money from their own accounts only (to anyone's); another's is "not found".
        if (principal?.role === "customer") requireOwnedResource(principal, "account", body.fromAccountId, (await bank.accounts.load(accountStream(body.fromAccountId))).state.customerId);
        const key = headers["idempotency-key"];
        const transferId = key === undefined ? randomUUID() : idFromKey(key);
        if (body.fromAccountId === body.toAccountId) throw new DomainRejection(transferStream(transferId), { code: "same_account" });
        const fingerprint = key === undefined ? undefined : requestFingerprint(services.fingerprintKeys, request);
        await initiateTransfer(bank, { transferId, ...body }, { correlationId: request.id, ...(fingerprint === undefined ? {} : { [FINGERPRINT_KEY]: fingerprint.value }) }, fingerprint);
        // `Prefer: respond-async` (RFC 7240): answer 202 at once instead of waiting for the outcome.
        const respondAsync = /(^|,)\s*respond-async\s*(,|;|$)/i.test(String(request.headers["prefer"] ?? ""));
        const outcome = await awaitTransfer(bank, transferId, respondAsync ? 0 : services.transferWaitMs);
        if (outcome.status === "failed") {
          const error = { code: outcome.reason, transferId, compensated: outcome.compensated };
          throw new DomainRejection(transferStream(transferId), error);
        }
        void reply.code(outcome.status === "completed" ? 201 : 202).header("location", `/transfers/${transferId}`);
        return outcome.status === "completed" ? { transferId, status: "completed" as const } : { transferId, status: "initiated" as const };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/transfers/:id",
      tag: "transfers",
      access: ["customer", "teller", "compliance"],
      summary: "A transfer's state",
      params: idParams,
      responses: { 200: { description: "The transfer.", schema: transferView } },
      problems: [400, 404],
      handler: async ({ params, principal }) => {
        const { state } = await bank.transfers.load(transferStream(params.id));
        if (state.status === "none" || state.fromAccountId === null || state.toAccountId === null || state.money === null) throw new ResourceNotFound("transfer", params.id);
        if (principal?.role === "customer") {
          const owners = await Promise.all([state.fromAccountId, state.toAccountId].map(async (accountId) => (await bank.accounts.load(accountStream(accountId))).state.customerId));
          requireOwnedResource(principal, "transfer", params.id, ...owners);
        }
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
