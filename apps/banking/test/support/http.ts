import type { FastifyInstance } from "fastify";

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, unknown>;
}

/** Sends a JSON request through fastify's `inject`. */
export async function call<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: "GET" | "POST",
  url: string,
  options: { readonly body?: unknown; readonly headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const response = await app.inject({
    method,
    url,
    headers: options.headers ?? {},
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
