/**
 * Access tokens: JWTs signed with HS256 through `jose` (a well-kept, dependency-free JOSE
 * implementation). The app is its own issuer here; behind an identity provider, swap `verify` for
 * `jose.jwtVerify` against the provider's JWKS (`createRemoteJWKSet`) — the rest stays.
 *
 * @module
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { ROLES } from "./principal.js";
import type { Principal, Role } from "./principal.js";

/** Why a token was not accepted (answered 401; the reason is never a secret). */
export class InvalidTokenError extends Error {
  readonly code = "invalid_token";
}

/** Issues and verifies access tokens. */
export interface TokenService {
  issue(principal: Principal): Promise<{ readonly token: string; readonly expiresIn: number }>;
  /** The principal of a valid token; throws {@link InvalidTokenError}. */
  verify(token: string): Promise<Principal>;
}

const ISSUER = "strata-banking";
const AUDIENCE = "strata-banking-api";

/** A token service signing with `secret` (at least 32 bytes); tokens live `ttlSeconds` (default 900). */
export function createTokenService(secret: Uint8Array, ttlSeconds = 900): TokenService {
  if (secret.byteLength < 32) throw new TypeError("The token secret must hold at least 32 bytes.");
  return {
    issue: async (principal) => {
      const token = await new SignJWT({ role: principal.role, ...(principal.customerId === undefined ? {} : { cid: principal.customerId }) })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(principal.subject)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(secret);
      return { token, expiresIn: ttlSeconds };
    },
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ["sub", "exp"] });
        const role = payload["role"];
        const cid = payload["cid"];
        if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) throw new InvalidTokenError("The token carries no known role.");
        if (role === "customer" && typeof cid !== "string") throw new InvalidTokenError("A customer's token must name the customer.");
        return { subject: payload.sub ?? "", role: role as Role, ...(typeof cid === "string" ? { customerId: cid } : {}) };
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        throw new InvalidTokenError(error instanceof errors.JWTExpired ? "The token has expired." : "The token is invalid.");
      }
    },
  };
}
