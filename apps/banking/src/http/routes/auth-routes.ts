/**
 * Logging in: `POST /auth/token` trades a user name and password for a short-lived bearer token;
 * `GET /me` says who the token stands for.
 *
 * @module
 */
import { z } from "zod";
import { AccessError } from "../../auth/access-error.js";
import { ROLES } from "../../auth/principal.js";
import type { AuthSettings } from "../../auth/auth-settings.js";
import { defineRoute } from "../route.js";
import type { AnyRoute } from "../route.js";

const principalView = z.object({ subject: z.string(), role: z.enum(ROLES), customerId: z.string().optional() });

/** The authentication routes. */
export function authRoutes(auth: AuthSettings): AnyRoute[] {
  return [
    defineRoute({
      method: "POST",
      url: "/auth/token",
      tag: "auth",
      access: "public",
      summary: "Log in: a user name and password for a bearer token (JWT, HS256, 15 minutes)",
      body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      responses: {
        200: {
          description: "The token, to send as `Authorization: Bearer <accessToken>`.",
          schema: z.object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number().int(), role: z.enum(ROLES), customerId: z.string().optional() }),
        },
      },
      problems: [400, 401, 415],
      handler: async ({ body }) => {
        const principal = await auth.users.authenticate(body.username, body.password);
        if (principal === undefined) throw new AccessError("invalid_credentials", "Unknown user name or wrong password.");
        const { token, expiresIn } = await auth.tokens.issue(principal);
        return { accessToken: token, tokenType: "Bearer" as const, expiresIn, role: principal.role, ...(principal.customerId === undefined ? {} : { customerId: principal.customerId }) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/me",
      tag: "auth",
      access: ["customer", "teller", "compliance"],
      summary: "Who the bearer token stands for",
      responses: { 200: { description: "The caller.", schema: principalView } },
      problems: [401],
      handler: async ({ principal }) => principal,
    }),
  ];
}
