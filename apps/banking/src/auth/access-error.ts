/**
 * A request refused before it reached its handler: no or an invalid token (401), a role or an
 * owner that does not fit (403), a body that is not JSON (415). Mapped to problem+json by the
 * error handler; the message names the route and the role, never a token.
 *
 * @module
 */

/** The refusals, by code. */
export const ACCESS_REFUSALS = {
  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  forbidden: 403,
  unsupported_media_type: 415,
} as const;

/** A refused request. */
export class AccessError extends Error {
  readonly code = "ACCESS_REFUSED";
  readonly status: number;
  readonly reason: keyof typeof ACCESS_REFUSALS;

  constructor(reason: keyof typeof ACCESS_REFUSALS, message: string) {
    super(message);
    this.name = "AccessError";
    this.reason = reason;
    this.status = ACCESS_REFUSALS[reason];
  }
}

/** True when `error` is an {@link AccessError} (checked by `code`). */
export function isAccessError(error: unknown): error is AccessError {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ACCESS_REFUSED";
}
