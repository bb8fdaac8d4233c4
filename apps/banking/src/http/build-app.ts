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
  const openApi: { document?: unknown } = {};
  const routes = [
    ...customerRoutes(options.services),
    ...accountRoutes(options.services),
    ...transferRoutes(options.services),
    ...systemRoutes(options.services, () => openApi.document),
  ];
  openApi.document = buildOpenApiDocument(routes, { title: "Strata sample bank", version: "0.0.0" });
  installConsistentReads(app, options.services.readModels);
  registerRoutes(app, routes);
  await app.ready();
  return app;
}
