/**
 * A command refused by a business rule (HTTP 422), carrying the decider's typed error. Its
 * message names only codes and ids, never personal data.
 */
export class DomainRejection extends Error {
  readonly code = "DOMAIN_REJECTION";
  /** The decider's error; `error.code` is the rule that refused the command. */
  readonly error: { readonly code: string };
  /** The stream whose rules refused the command. */
  readonly streamId: string;

  constructor(streamId: string, error: { readonly code: string }) {
    super(`The command on stream "${streamId}" was refused: ${error.code}.`);
    this.name = "DomainRejection";
    this.error = error;
    this.streamId = streamId;
  }
}

/** A resource the request names does not exist (HTTP 404). */
export class ResourceNotFound extends Error {
  readonly code = "NOT_FOUND";
  readonly resource: string;
  readonly id: string;

  constructor(resource: string, id: string) {
    super(`No ${resource} with id "${id}".`);
    this.name = "ResourceNotFound";
    this.resource = resource;
    this.id = id;
  }
}

/** True when `error` is a {@link DomainRejection} (checked by `code`). */
export function isDomainRejection(error: unknown): error is DomainRejection {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "DOMAIN_REJECTION";
}

/** True when `error` is a {@link ResourceNotFound} (checked by `code`). */
export function isResourceNotFound(error: unknown): error is ResourceNotFound {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "NOT_FOUND";
}
