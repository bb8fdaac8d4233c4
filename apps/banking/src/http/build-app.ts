/**
 * The fastify app factory: routes, problem+json errors, the OpenAPI document, pino logs that
 * carry no personal data.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { BankingServices } from "../services.js";
import { installErrorHandling } from "./error-handler.js";
import { installConsistentReads } from "./consistent-read.js";
import { buildOpenApiDocument } from "./openapi.js";
import { registerRoutes } from "./route.js";
import { accountRoutes } from "./routes/account-routes.js";
import { authRoutes } from "./routes/auth-routes.js";
import { customerRoutes } from "./routes/customer-routes.js";
import { systemRoutes } from "./routes/system-routes.js";
import { transferRoutes } from "./routes/transfer-routes.js";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  readonly services: BankingServices;
  /** A pino logger (see `createLogger`, which redacts bodies), or `false`/omitted for no logs. */
  readonly logger?: FastifyBaseLogger | false;
}

/** Builds the app; call `listen` or `inject` on it. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const app = Fastify({
    ...(logger === false ? { logger: false } : { loggerInstance: logger }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  installErrorHandling(app);
  // JSON only: a form or text/plain POST (what a browser sends across origins without asking)
  // never reaches a handler. Every other type is accepted here and refused with 415 by the
  // route, as problem+json; an empty JSON body reads as none (body-less commands).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    try {
      done(null, text === "" ? undefined : (JSON.parse(text as string) as unknown));
    } catch {
      done(Object.assign(new Error("The body is not valid JSON."), { statusCode: 400, code: "FST_ERR_CTP_INVALID_JSON_BODY" }), undefined);
    }
  });
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
  const openApi: { document?: unknown } = {};
  const routes = [
    ...authRoutes(options.services.auth),
    ...customerRoutes(options.services),
    ...accountRoutes(options.services),
    ...transferRoutes(options.services),
    ...systemRoutes(options.services, () => openApi.document),
  ];
  openApi.document = buildOpenApiDocument(routes, { title: "Strata sample bank", version: "0.0.0" });
  installConsistentReads(app, options.services.readModels);
  registerRoutes(app, routes, options.services.auth.tokens);
  await app.ready();
  return app;
}
