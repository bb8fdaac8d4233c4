import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { FINGERPRINT_KEY_INFO, fingerprintKeys, requestFingerprint } from "./request-fingerprint.js";

/** The parts of a request the fingerprint reads. */
function request(body: unknown): FastifyRequest {
  return { method: "POST", url: "/customers", routeOptions: { url: "/customers" }, params: {}, body } as unknown as FastifyRequest;
}

/** What releases before this one stored: a bare HMAC of the canonical request under the audit key. */
function legacyFingerprint(auditKey: Uint8Array, body: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHmac("sha256", auditKey).update(JSON.stringify({ body: sorted, method: "POST", params: {}, route: "/customers" })).digest("base64url");
}

describe("request fingerprints", () => {
  const auditKey = randomBytes(32);
  const keys = fingerprintKeys(auditKey);
  const body = { name: "Ada Lovelace", email: "ada@example.org" };

  it("are made with an HKDF subkey of the audit key, never with the audit key itself", () => {
    expect(Buffer.from(keys.current)).toEqual(Buffer.from(hkdfSync("sha256", auditKey, new Uint8Array(0), FINGERPRINT_KEY_INFO, 32)));
    expect(Buffer.from(keys.current).equals(auditKey)).toBe(false);
    const { value } = requestFingerprint(keys, request(body));
    expect(value.startsWith("v2.")).toBe(true);
    expect(value.slice(3)).not.toBe(legacyFingerprint(auditKey, body));
    // The same request with its fields in another order has the same fingerprint.
    expect(requestFingerprint(keys, request({ email: body.email, name: body.name })).value).toBe(value);
  });

  it("match the same request, in the current format and in the one stored before", () => {
    const fingerprint = requestFingerprint(keys, request(body));
    expect(fingerprint.matches(fingerprint.value)).toBe(true);
    expect(fingerprint.matches(legacyFingerprint(auditKey, body))).toBe(true);
  });

  it("do not match another request, in either format", () => {
    const other = { ...body, name: "Alan Turing" };
    const fingerprint = requestFingerprint(keys, request(body));
    expect(fingerprint.matches(requestFingerprint(keys, request(other)).value)).toBe(false);
    expect(fingerprint.matches(legacyFingerprint(auditKey, other))).toBe(false);
    // Without a legacy key (the unencrypted test mode), an old-format value matches nothing.
    expect(requestFingerprint({ current: keys.current }, request(body)).matches(legacyFingerprint(auditKey, body))).toBe(false);
  });
});
