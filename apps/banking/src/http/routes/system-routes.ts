/**
 * Health (with projection lag) and the OpenAPI document.
 *
 * @module
 */
import { z } from "zod";
import type { BankingServices } from "../../services.js";
import { defineRoute } from "../route.js";
import type { AnyRoute } from "../route.js";

const healthView = z.object({
  status: z.enum(["ok", "degraded"]),
  projections: z.array(
    z.object({
      name: z.string(),
      state: z.string(),
      lagEvents: z.number(),
      lagSeconds: z.number(),
      position: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});

/** The system routes; `openApi` is called once the document is built. */
export function systemRoutes(services: BankingServices, openApi: () => unknown): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/health",
      tag: "system",
      access: "public",
      summary: "Liveness and the lag of every projection (503 when one has failed)",
      responses: { 200: { description: "Healthy.", schema: healthView }, 503: { description: "A projection failed.", schema: healthView } },
      problems: [],
      handler: async ({ reply }) => {
        const projections = await services.readModels.health();
        const failed = projections.some((projection) => projection.state === "failed");
        void reply.code(failed ? 503 : 200);
        return { status: failed ? "degraded" : "ok", projections };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/openapi.json",
      tag: "system",
      access: "public",
      summary: "This API's OpenAPI 3.1 document",
      responses: { 200: { description: "The document." } },
      problems: [],
      handler: async () => openApi(),
    }),
  ];
}
