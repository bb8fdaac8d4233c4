/**
 * The fingerprint of a command request: an HMAC-SHA-256 of its method, route, path parameters
 * and body, stored in the event's metadata next to the `Idempotency-Key` it was sent with. A
 * retry with the same key compares fingerprints: the same one gets the original answer, another
 * one a 422. Keyed, because a body may hold personal data (a customer's name and email): a plain
 * hash of it could be confirmed by guessing, an HMAC only by whoever holds the key.
 *
 * The key is a subkey of the operator's audit key, derived with HKDF-SHA-256 under its own label
 * ({@link FINGERPRINT_KEY_INFO}), so an HMAC made here can never equal one the audit trail makes
 * with the audit key itself (its keyed hash of an erased customer's id). Fingerprints are stored
 * as `v2.<HMAC>`. Those that releases before stored (a bare HMAC under the audit key, written into
 * events, which never change) still verify: a stored fingerprint without the `v2.` prefix is
 * compared with the legacy HMAC of the retry, computed only then and never stored again.
 *
 * @module
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { RequestFingerprint } from "../domain/request-replay.js";

/** The HKDF label (`info`) of the fingerprint subkey. */
export const FINGERPRINT_KEY_INFO = "strata-banking/request-fingerprint/v2";
/** The prefix of fingerprints made with the subkey; a bare base64url HMAC never contains a dot. */
const PREFIX = "v2.";

/** The keys of the fingerprints: `current` makes them; `legacy` (the audit key) checks those stored before. */
export interface FingerprintKeys {
  readonly current: Uint8Array;
  readonly legacy?: Uint8Array | undefined;
}

/** Derives the fingerprint keys from the audit key: the HKDF subkey, and the audit key for legacy fingerprints. */
export function fingerprintKeys(auditKey: Uint8Array): FingerprintKeys {
  return { current: new Uint8Array(hkdfSync("sha256", auditKey, new Uint8Array(0), FINGERPRINT_KEY_INFO, 32)), legacy: auditKey };
}

function hmac(key: Uint8Array, text: string): string {
  return createHmac("sha256", key).update(text).digest("base64url");
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

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

/** The fingerprint of `request` under `keys`: the value to store, and the check of a stored one. */
export function requestFingerprint(keys: FingerprintKeys, request: FastifyRequest): RequestFingerprint {
  const route = request.routeOptions.url ?? request.url;
  const text = canonical({ method: request.method, route, params: request.params, body: request.body ?? null });
  const value = `${PREFIX}${hmac(keys.current, text)}`;
  const { legacy } = keys;
  return {
    value,
    matches: (recorded) => (recorded.startsWith(PREFIX) ? same(recorded, value) : legacy !== undefined && same(recorded, hmac(legacy, text))),
  };
}
