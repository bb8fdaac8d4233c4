/**
 * A feature the app cannot offer with the runtime it runs on (HTTP 501). Thrown instead of faking
 * the feature; `missing` names what the runtime lacks.
 */
export class NotAvailableError extends Error {
  readonly code = "NOT_AVAILABLE";
  readonly missing: string;

  constructor(feature: string, missing: string) {
    super(`${feature} is not available: the runtime does not provide ${missing} yet.`);
    this.name = "NotAvailableError";
    this.missing = missing;
  }
}

/** True when `error` is a {@link NotAvailableError} (checked by `code`). */
export function isNotAvailable(error: unknown): error is NotAvailableError {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "NOT_AVAILABLE";
}
