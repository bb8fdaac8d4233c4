/**
 * The fingerprint of a command request: an HMAC-SHA-256 of its method, route, path parameters
 * and body, stored in the event's metadata next to the `Idempotency-Key` it was sent with. A
 * retry with the same key compares fingerprints: the same one gets the original answer, another
 * one a 422. Keyed, because a body may hold personal data (a customer's name and email): a plain
 * hash of it could be confirmed by guessing, an HMAC only by whoever holds the key.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import type { FastifyRequest } from "fastify";

/**
 * JSON with object keys sorted at every level, so that the same body sent with its fields in
 * another order has the same fingerprint. (Ten lines; a dependency would not be shorter.)
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The fingerprint of `request` under `key`. */
export function requestFingerprint(key: Uint8Array, request: FastifyRequest): string {
  const route = request.routeOptions.url ?? request.url;
  return createHmac("sha256", key).update(canonical({ method: request.method, route, params: request.params, body: request.body ?? null })).digest("base64url");
}
