/**
 * Maps every error to a problem+json response: 400 invalid request (naming the fields), 404
 * unknown resource, 409 concurrency conflict (expected and actual version), 422 business rule,
 * 501 feature not available, 500 anything else (logged by code, without its message).
 *
 * @module
 */
import { isAggregateLayerError, isStrataError } from "@strata/runtime";
import type { AggregateVersionNotFoundError, CommandRetriesExhaustedError } from "@strata/runtime";
import type { FastifyError, FastifyInstance } from "fastify";
import { isDomainRejection, isResourceNotFound } from "../domain/domain-rejection.js";
import { isAccessError } from "../auth/access-error.js";
import { isNotAvailable } from "./not-available.js";
import type { Problem } from "./problem.js";
import { isRequestValidationError, problem, PROBLEM_CONTENT_TYPE } from "./problem.js";

const CONFLICT_RULES = new Set(["customer_already_exists", "account_already_exists"]);

/** The problem a thrown error stands for. */
export function problemFor(error: unknown): Problem {
  if (isRequestValidationError(error)) {
    return problem(400, "invalid_request", "The request is invalid", error.message, { "invalid-params": error.issues });
  }
  if (isResourceNotFound(error)) return problem(404, "not_found", "Not found", error.message, { resource: error.resource, id: error.id });
  if (isStrataError(error, "STREAM_CONFLICT")) {
    return problem(409, "concurrency_conflict", "The resource changed meanwhile", error.message, {
      streamId: error.streamId,
      expectedVersion: error.expectedVersion,
      actualVersion: error.actualVersion,
    });
  }
  if (isAggregateLayerError(error, "AGGREGATE_VERSION_NOT_FOUND")) {
    const notFound = error as unknown as AggregateVersionNotFoundError;
    return problem(404, "version_not_found", "No such version", error.message, { requestedVersion: notFound.requestedVersion, actualVersion: notFound.actualVersion });
  }
  if (isAggregateLayerError(error, "COMMAND_RETRIES_EXHAUSTED")) {
    return problem(409, "too_much_contention", "The resource is too busy", error.message, { streamId: (error as unknown as CommandRetriesExhaustedError).streamId });
  }
  if (isStrataError(error, "DUPLICATE_EVENT_ID")) {
    return problem(422, "idempotency_key_reused", "Idempotency-Key reused", "This Idempotency-Key was already used for a different request.");
  }
  if (isStrataError(error, "EVENT_VALIDATION")) {
    const issues = error.issues.map((issue) => ({ in: "body" as const, name: issue.path.map(String).join("."), reason: issue.message }));
    return problem(400, "invalid_request", "The request is invalid", "The event the request would record is invalid.", { "invalid-params": issues });
  }
  if (isStrataError(error, "INVALID_ARGUMENT")) return problem(400, "invalid_request", "The request is invalid", error.message);
  if (isDomainRejection(error)) {
    const { code, ...details } = error.error as { readonly code: string } & Record<string, unknown>;
    const status = CONFLICT_RULES.has(code) ? 409 : 422;
    return problem(status, code, "The command was refused by a business rule", error.message, details);
  }
  if (isAccessError(error)) return problem(error.status, error.reason, error.status === 415 ? "Unsupported media type" : error.status === 403 ? "Forbidden" : "Unauthenticated", error.message);
  if (isNotAvailable(error)) return problem(501, "not_available", "Not available", error.message, { missing: error.missing });
  const fastifyError = error as Partial<FastifyError>;
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Fastify's own messages may quote the body (a JSON parse error shows the text around the
    // fault), so only its code goes out.
    const code = fastifyError.code ?? "FST_ERR";
    const detail = fastifyError.statusCode === 415 ? "Send the body as application/json." : `The request could not be read (${code}).`;
    return problem(fastifyError.statusCode, fastifyError.statusCode === 415 ? "unsupported_media_type" : "invalid_request", "Bad request", detail, { fastifyCode: code });
  }
  return problem(500, "internal_error", "Internal error", "The server failed to handle the request; see its logs.");
}

/** Installs the problem+json error and not-found handlers. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => {
    const body = { ...problemFor(error), instance: request.url };
    // Log the code and class only: messages of lower layers may one day quote data.
    if (body.status >= 500) request.log.error({ errorClass: (error as Error).name, errorCode: (error as { code?: unknown }).code }, "request failed");
    else request.log.info({ problem: body.code, status: body.status }, "request refused");
    // RFC 6750: a 401 names the scheme to authenticate with (and why a token was refused).
    if (body.status === 401) void reply.header("www-authenticate", body.code === "invalid_token" ? 'Bearer realm="strata-banking", error="invalid_token"' : 'Bearer realm="strata-banking"');
    await reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const body = { ...problem(404, "not_found", "Not found", `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`), instance: request.url };
    await reply.code(404).type(PROBLEM_CONTENT_TYPE).send(body);
  });
}
