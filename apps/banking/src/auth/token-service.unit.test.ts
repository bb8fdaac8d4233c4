// Access tokens: only HS256 tokens of this issuer and audience, signed with this secret, unexpired
// and with a known role, stand for a caller.
import { randomBytes } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenService, InvalidTokenError } from "./token-service.js";

const secret = randomBytes(32);
const tokens = createTokenService(secret);
const claims = { role: "compliance" };
const signed = (alg: string, key: Uint8Array = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject("mallory").setIssuer("strata-banking").setAudience("strata-banking-api").setIssuedAt().setExpirationTime("5m").sign(key);

async function refusal(token: string): Promise<unknown> {
  return tokens.verify(token).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("token service", () => {
  it("verifies what it issued", async () => {
    const { token, expiresIn } = await tokens.issue({ subject: "ada", role: "customer", customerId: "c1" });
    expect(expiresIn).toBe(900);
    expect(await tokens.verify(token)).toEqual({ subject: "ada", role: "customer", customerId: "c1" });
  });

  it("refuses an expired token", async () => {
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("ada").setIssuer("strata-banking").setAudience("strata-banking-api").setIssuedAt(Math.floor(Date.now() / 1000) - 3_600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret);
    const error = await refusal(expired);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).toBe("The token has expired.");
  });

  it("pins the algorithm: unsigned (alg none) and other HMAC algorithms with the same secret are refused", async () => {
    const unsecured = new UnsecuredJWT(claims).setSubject("mallory").setIssuer("strata-banking").setAudience("strata-banking-api").setIssuedAt().setExpirationTime("5m").encode();
    expect(await refusal(unsecured)).toBeInstanceOf(InvalidTokenError);
    expect(await refusal(await signed("HS512"))).toBeInstanceOf(InvalidTokenError);
    expect(await refusal(await signed("HS384"))).toBeInstanceOf(InvalidTokenError);
    expect(await tokens.verify(await signed("HS256"))).toMatchObject({ subject: "mallory", role: "compliance" });
  });

  it("refuses another secret, issuer or audience, a token without expiry, an unknown role, and a customer without a customer", async () => {
    const other = await signed("HS256", randomBytes(32));
    const issuer = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("m").setIssuer("elsewhere").setAudience("strata-banking-api").setExpirationTime("5m").sign(secret);
    const audience = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("m").setIssuer("strata-banking").setAudience("other-api").setExpirationTime("5m").sign(secret);
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("m").setIssuer("strata-banking").setAudience("strata-banking-api").sign(secret);
    const admin = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setSubject("m").setIssuer("strata-banking").setAudience("strata-banking-api").setExpirationTime("5m").sign(secret);
    const anyone = await new SignJWT({ role: "customer" }).setProtectedHeader({ alg: "HS256" }).setSubject("m").setIssuer("strata-banking").setAudience("strata-banking-api").setExpirationTime("5m").sign(secret);
    for (const token of [other, issuer, audience, forever, admin, anyone]) expect(await refusal(token)).toBeInstanceOf(InvalidTokenError);
  });

  it("refuses a secret shorter than 32 bytes", () => {
    expect(() => createTokenService(randomBytes(16))).toThrow(/32 bytes/);
  });

  it("never puts the token or the secret in its refusal", async () => {
    const token = await signed("HS512");
    const error = (await refusal(token)) as Error;
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(secret.toString("base64"));
  });
});
