/**
 * Declares a route once, with zod schemas for its path, query, headers, body and responses: the
 * same declaration validates requests (400 naming every invalid field) and feeds the OpenAPI
 * document. Hand-rolled rather than a fastify type provider so that request validation reports
 * all issues in problem+json and the OpenAPI document comes from `z.toJSONSchema` directly.
 *
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { AccessError } from "../auth/access-error.js";
import type { Principal, Role } from "../auth/principal.js";
import type { TokenService } from "../auth/token-service.js";
import { RequestValidationError, toInvalidParams } from "./problem.js";
import type { InvalidParam } from "./problem.js";

/** What a handler receives: the parsed inputs, plus the raw request and reply. */
export interface RouteInput<P, Q, H, B> {
  readonly params: P;
  readonly query: Q;
  readonly headers: H;
  readonly body: B;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The caller (`undefined` on public routes only). */
  readonly principal: Principal | undefined;
}

/** Who may call a route: anyone, or the callers with one of these roles (a bearer token). */
export type Access = "public" | readonly Role[];

/** A route declaration. */
export interface RouteSpec<P = unknown, Q = unknown, H = unknown, B = unknown> {
  readonly method: "GET" | "POST";
  /** Fastify path, e.g. `/accounts/:id`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  /** Who may call it; handlers check ownership for `customer` callers. */
  readonly access: Access;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly headers?: z.ZodType<H>;
  readonly body?: z.ZodType<B>;
  /** Success responses by status; errors are always problem+json. */
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
  /** Problem statuses the route can answer with, for the document. */
  readonly problems: readonly number[];
  /** Returns the body; set the status on `reply` when it is not 200. */
  readonly handler: (input: RouteInput<P, Q, H, B>) => Promise<unknown>;
}

/** A route with its input types erased, as route lists hold them. */
export type AnyRoute = RouteSpec<unknown, unknown, unknown, unknown>;

/** Declares a route, inferring its input types from its schemas. */
export function defineRoute<P = undefined, Q = undefined, H = undefined, B = undefined>(spec: RouteSpec<P, Q, H, B>): AnyRoute {
  // The handler only ever receives what the route's own schemas parsed.
  return spec as unknown as AnyRoute;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: InvalidParam["in"], issues: InvalidParam[]): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...toInvalidParams(where, result.error.issues));
  return undefined as T;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The caller of `request`, checked against the route's access; throws {@link AccessError}. */
async function principalOf(route: AnyRoute, request: FastifyRequest, tokens: TokenService): Promise<Principal | undefined> {
  if (route.access === "public") return undefined;
  const header = request.headers.authorization;
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) throw new AccessError("unauthenticated", `${route.method} ${route.url} needs a bearer token (POST /auth/token).`);
  const principal = await tokens.verify(token).catch((error: unknown) => {
    throw new AccessError("invalid_token", error instanceof Error ? error.message : "The token is invalid.");
  });
  if (!route.access.includes(principal.role)) throw new AccessError("forbidden", `${route.method} ${route.url} is for ${route.access.join(", ")}, not ${principal.role}.`);
  return principal;
}

/**
 * Registers routes on a fastify instance. A POST must send `application/json` (a browser form or
 * a `text/plain` request cannot reach a handler); a protected route needs a valid bearer token of
 * one of its roles.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRoute[], tokens: TokenService): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        if (route.method === "POST" && !/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
          throw new AccessError("unsupported_media_type", `${route.method} ${route.url} accepts only application/json.`);
        }
        const principal = await principalOf(route, request, tokens);
        const issues: InvalidParam[] = [];
        const params = parse(route.params, request.params, "path", issues);
        const query = parse(route.query, request.query, "query", issues);
        const headers = parse(route.headers, request.headers, "header", issues);
        const body = parse(route.body, request.body ?? {}, "body", issues);
        if (issues.length > 0) throw new RequestValidationError(issues);
        return route.handler({ params, query, headers, body, request, reply, principal });
      },
    });
  }
}
