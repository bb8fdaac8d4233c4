/**
 * The OpenAPI 3.1 document, assembled from the same zod schemas that validate requests (OpenAPI
 * 3.1 uses JSON Schema 2020-12, which `z.toJSONSchema` emits).
 *
 * @module
 */
import { z } from "zod";
import { problemSchema, PROBLEM_CONTENT_TYPE } from "./problem.js";
import type { AnyRoute } from "./route.js";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

function parametersOf(route: AnyRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (schema: z.ZodType | undefined, where: "path" | "query" | "header"): void => {
    if (schema === undefined) return;
    const json = toSchema(schema, "input");
    const properties = (json["properties"] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json["required"] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({ name, in: where, required: where === "path" || required.has(name), schema: property, ...(property["description"] === undefined ? {} : { description: property["description"] }) });
    }
  };
  add(route.params, "path");
  add(route.query, "query");
  add(route.headers, "header");
  return out;
}

const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: "Invalid request: `invalid-params` names every invalid field.",
  404: "Unknown resource or version.",
  409: "Concurrency conflict (`expectedVersion`, `actualVersion`) or the resource already exists.",
  401: "No, an invalid or an expired bearer token (`unauthenticated`, `invalid_token`), or wrong credentials (`invalid_credentials`).",
  403: "The caller's role may not use this operation, or a customer asked for someone else's data (`forbidden`).",
  415: "The body is not application/json (`unsupported_media_type`).",
  422: "Refused by a business rule; `code` names the rule.",
  501: "Not available with this runtime.",
};

/** Builds the OpenAPI document of `routes`. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: { readonly title: string; readonly version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const responses: Record<string, JsonSchema> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema === undefined ? {} : { content: { "application/json": { schema: toSchema(response.schema, "output") } } }),
      };
    }
    const implied = [...(route.access === "public" ? [] : [401, 403]), ...(route.method === "POST" ? [415] : [])];
    for (const status of [...new Set([...route.problems, ...implied])].sort()) {
      responses[String(status)] = { description: PROBLEM_TITLES[status] ?? "Problem.", content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } };
    }
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        tags: [route.tag],
        parameters: parametersOf(route),
        security: route.access === "public" ? [] : [{ bearerAuth: [] }],
        ...(route.access === "public" ? {} : { "x-roles": [...route.access] }),
        ...(route.body === undefined ? {} : { requestBody: { required: true, content: { "application/json": { schema: toSchema(route.body, "input") } } } }),
        responses,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    security: [{ bearerAuth: [] }],
    components: {
      schemas: { Problem: toSchema(problemSchema, "output") },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "From POST /auth/token. Roles: customer (own customer, accounts and transfers only), teller, compliance (export, erasure). Each operation lists its roles in x-roles.",
        },
      },
    },
  };
}
