import type { FastifyInstance } from "fastify";
import { memoryAuth } from "../../src/auth/auth-settings.js";

/** The users every test app of this file shares (passed to `startBanking` by `openTestApp`). */
export const testAuth = memoryAuth();

const tokens = new Map<string, string>();

/** Logs in as `username` through `POST /auth/token` (cached per user); returns the bearer token. */
export async function loginAs(app: FastifyInstance, username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached !== undefined) return cached;
  const user = testAuth.devUsers?.find((candidate) => candidate.username === username);
  if (user === undefined) throw new Error(`no test user ${username}`);
  const response = await app.inject({ method: "POST", url: "/auth/token", headers: { "content-type": "application/json" }, payload: { username, password: user.password } });
  const token = String((response.json() as { accessToken?: unknown }).accessToken);
  tokens.set(username, token);
  return token;
}

/** A customer user for `customerId` (logs in as it with `call(…, { as })`). */
export async function customerUser(customerId: string): Promise<string> {
  const username = `customer-${customerId}`;
  await testAuth.addDevUser(username, "customer", customerId);
  tokens.delete(username);
  return username;
}

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, unknown>;
}

/**
 * Sends a JSON request through fastify's `inject`, logged in as `options.as` (default the
 * teller; `null` sends no token). A POST is always `application/json`, body or not.
 */
export async function call<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: "GET" | "POST",
  url: string,
  options: { readonly body?: unknown; readonly headers?: Record<string, string>; readonly as?: string | null } = {},
): Promise<Reply<T>> {
  const as = options.as === undefined ? "teller" : options.as;
  const authorization = as === null ? {} : { authorization: `Bearer ${await loginAs(app, as)}` };
  const response = await app.inject({
    method,
    url,
    headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), ...authorization, ...options.headers },
    ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: (response.body === "" ? {} : response.json()) as T, headers: response.headers };
}

export const address = { street: "1 Test Street", city: "Testville", postalCode: "12345", country: "DE" };

/** Registers a customer and opens an account; returns the ids. */
export async function customerWithAccount(
  app: FastifyInstance,
  options: { readonly currency?: string; readonly overdraftLimitMinor?: number; readonly depositMinor?: number } = {},
): Promise<{ customerId: string; accountId: string }> {
  const customer = await call(app, "POST", "/customers", { body: { name: "Test Person", email: "test@example.org", address } });
  const customerId = String(customer.body["customerId"]);
  const account = await call(app, "POST", "/accounts", { body: { customerId, currency: options.currency ?? "EUR", overdraftLimitMinor: options.overdraftLimitMinor ?? 0 } });
  const accountId = String(account.body["accountId"]);
  if (options.depositMinor !== undefined && options.depositMinor > 0) {
    await call(app, "POST", `/accounts/${accountId}/deposits`, { body: { money: { amountMinor: options.depositMinor, currency: options.currency ?? "EUR" }, source: "cash" } });
  }
  return { customerId, accountId };
}
