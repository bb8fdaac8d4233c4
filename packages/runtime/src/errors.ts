/**
 * Typed errors of `@strata/runtime`. Every error carries a stable string `code`; check it with
 * {@link isStrataError} rather than `instanceof`, which fails when two copies of the package are
 * installed. Messages name the stream, event type, event index and field at fault, never a data
 * value: event data may be personal data.
 *
 * @module
 */
import type { ValidationIssue } from "./registry.js";

/** Every code a {@link StrataError} can carry. */
export const STRATA_ERROR_CODES = [
  "STREAM_CONFLICT",
  "STREAM_DELETED",
  "DUPLICATE_EVENT_ID",
  "EVENT_VALIDATION",
  "UNKNOWN_EVENT_TYPE",
  "UNKNOWN_SCHEMA_VERSION",
  "UPCAST_FAILED",
  "INVALID_CHECKPOINT",
  "INVALID_ARGUMENT",
  "MIGRATION_FAILED",
  "STORE_UNAVAILABLE",
  "STORE_QUERY_FAILED",
  // Crypto-shredding (src/crypto/crypto-errors.ts).
  "CRYPTO_PARAMETER",
  "CRYPTO_AUTHENTICATION",
  "DECRYPTION_FAILED",
  "KEY_UNWRAP_FAILED",
  "KEK_NOT_FOUND",
  "KEK_MISMATCH",
  "KEK_CONFIG_INVALID",
  "PII_FIELD_INVALID",
  // Aggregates (src/aggregate/aggregate-errors.ts).
  "COMMAND_RETRIES_EXHAUSTED",
  "AGGREGATE_VERSION_NOT_FOUND",
  // Projections (src/projections/projection-errors.ts).
  "PROJECTION_FAILED",
  "PROJECTION_NOT_FOUND",
  "PROJECTION_NOT_FAILED",
  // Forwarding and consuming through brokers (src/integration/integration-errors.ts).
  "BROKER_UNAVAILABLE",
  "PUBLISH_REJECTED",
  "MESSAGE_INVALID",
  "MESSAGE_INCOMPATIBLE",
  "CONSUMER_STOPPED",
] as const;

/** A stable error code, see {@link STRATA_ERROR_CODES}. */
export type StrataErrorCode = (typeof STRATA_ERROR_CODES)[number];

/** The base of every error the runtime throws. */
export class StrataError extends Error {
  /** Stable, machine-readable code; never changes between releases. */
  readonly code: StrataErrorCode;

  constructor(code: StrataErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

const knownCodes: ReadonlySet<string> = new Set(STRATA_ERROR_CODES);

/**
 * Whether `error` is a Strata runtime error, optionally with a given code. Checks the `code`
 * property, so it works across duplicated installs of the package.
 *
 * @example
 * ```ts
 * try { await store.append("account-1", events, { expectedVersion: 3 }); }
 * catch (error) { if (isStrataError(error, "STREAM_CONFLICT")) retry(error.actualVersion); else throw error; }
 * ```
 */
export function isStrataError<C extends StrataErrorCode>(error: unknown, code?: C): error is StrataErrorFor<C> {
  if (typeof error !== "object" || error === null || !(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  if (typeof actual !== "string" || !knownCodes.has(actual)) return false;
  return code === undefined || actual === code;
}

/** How a caller constrains the stream's version on append or delete. `0` means "no stream yet". */
export type ExpectedVersion = number | "no_stream" | "stream_exists" | "any";

function describeExpected(expected: ExpectedVersion): string {
  return typeof expected === "number" ? `version ${expected}` : `"${expected}"`;
}

/**
 * The stream was not at the expected version. `actualVersion` is the version the store found
 * (`0` when the stream does not exist); retry with it after re-deciding.
 */
export class StreamConflictError extends StrataError {
  declare readonly code: "STREAM_CONFLICT";
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly actualVersion: number;

  constructor(options: { readonly streamId: string; readonly expectedVersion: ExpectedVersion; readonly actualVersion: number }) {
    const actual = options.actualVersion === 0 ? "does not exist" : `is at version ${options.actualVersion}`;
    super(
      "STREAM_CONFLICT",
      `Stream "${options.streamId}" ${actual}, but ${describeExpected(options.expectedVersion)} was expected. Reload the stream and retry.`,
    );
    this.streamId = options.streamId;
    this.expectedVersion = options.expectedVersion;
    this.actualVersion = options.actualVersion;
  }
}

/** The stream was deleted (tombstoned). Deleted streams cannot be read, appended to or recreated. */
export class StreamDeletedError extends StrataError {
  declare readonly code: "STREAM_DELETED";
  readonly streamId: string;

  constructor(options: { readonly streamId: string }) {
    super("STREAM_DELETED", `Stream "${options.streamId}" was deleted; its id cannot be read from or appended to again.`);
    this.streamId = options.streamId;
  }
}

/** An event id was already used for different content (another stream, type, data or position). */
export class DuplicateEventIdError extends StrataError {
  declare readonly code: "DUPLICATE_EVENT_ID";
  readonly eventId: string;
  readonly streamId: string;
  /** The stream that already holds the id. */
  readonly existingStreamId: string;

  constructor(options: { readonly eventId: string; readonly streamId: string; readonly existingStreamId: string; readonly reason: string }) {
    super(
      "DUPLICATE_EVENT_ID",
      `Event id ${options.eventId} appended to stream "${options.streamId}" is already stored in stream "${options.existingStreamId}" ${options.reason}. Use a new id for new content.`,
    );
    this.eventId = options.eventId;
    this.streamId = options.streamId;
    this.existingStreamId = options.existingStreamId;
  }
}

/** One validation problem of one event in a batch. */
export interface EventValidationIssue extends ValidationIssue {
  /** The event type whose schema rejected the value. */
  readonly type: string;
  /** Index of the event in the appended batch, when the event was part of one. */
  readonly eventIndex?: number;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : `/${path.map((segment) => String(segment)).join("/")}`;
}

/**
 * Event data did not match its schema. Lists every issue with its path; carries no data value.
 * Generated event classes throw it as `new EventValidationError({ type, issues })`.
 */
export class EventValidationError extends StrataError {
  declare readonly code: "EVENT_VALIDATION";
  readonly issues: readonly EventValidationIssue[];
  readonly streamId: string | undefined;

  constructor(options: {
    /** The event type, applied to every issue that does not name its own. */
    readonly type?: string;
    readonly issues: readonly (ValidationIssue & { readonly type?: string; readonly eventIndex?: number })[];
    readonly streamId?: string;
  }) {
    const issues = options.issues.map((issue): EventValidationIssue => ({ ...issue, type: issue.type ?? options.type ?? "(unknown)" }));
    const where = options.streamId === undefined ? "" : ` for stream "${options.streamId}"`;
    const lines = issues.map(
      (issue) => `${issue.eventIndex === undefined ? "" : `event #${issue.eventIndex} `}${issue.type} ${formatPath(issue.path)}: ${issue.message}`,
    );
    super("EVENT_VALIDATION", `Invalid event data${where} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`);
    this.issues = issues;
    this.streamId = options.streamId;
  }
}

/** An event type that the registry does not declare. */
export class UnknownEventTypeError extends StrataError {
  declare readonly code: "UNKNOWN_EVENT_TYPE";
  readonly type: string;

  constructor(options: { readonly type: string; readonly context: string; readonly where: string }) {
    super("UNKNOWN_EVENT_TYPE", `Event type "${options.type}" (${options.where}) is not declared in registry "${options.context}". Regenerate the events package or register the type.`);
    this.type = options.type;
  }
}

/** A stored schema version that the registry cannot upcast (newer than latest, or a missing step). */
export class UnknownSchemaVersionError extends StrataError {
  declare readonly code: "UNKNOWN_SCHEMA_VERSION";
  readonly type: string;
  readonly schemaVersion: number;

  constructor(options: { readonly type: string; readonly schemaVersion: number; readonly eventId: string; readonly reason: string }) {
    super("UNKNOWN_SCHEMA_VERSION", `Event ${options.eventId} of type "${options.type}" has schema version ${options.schemaVersion}: ${options.reason}.`);
    this.type = options.type;
    this.schemaVersion = options.schemaVersion;
  }
}

/** An upcaster threw while reading an event. The cause is the upcaster's error. */
export class UpcastError extends StrataError {
  declare readonly code: "UPCAST_FAILED";
  readonly eventId: string;
  readonly type: string;
  readonly fromVersion: number;

  constructor(options: { readonly eventId: string; readonly type: string; readonly fromVersion: number; readonly cause: unknown }) {
    super(
      "UPCAST_FAILED",
      `Upcaster ${options.type} v${options.fromVersion}→v${options.fromVersion + 1} failed on event ${options.eventId}; fix the upcaster (it must accept every stored v${options.fromVersion} event).`,
      { cause: options.cause },
    );
    this.eventId = options.eventId;
    this.type = options.type;
    this.fromVersion = options.fromVersion;
  }
}

/** A checkpoint string that the store did not produce. */
export class InvalidCheckpointError extends StrataError {
  declare readonly code: "INVALID_CHECKPOINT";
  constructor(options: { readonly checkpoint: string }) {
    super("INVALID_CHECKPOINT", `"${options.checkpoint.slice(0, 80)}" is not a checkpoint produced by this store; pass one returned by readAll or a recorded event.`);
  }
}

/** A caller passed an argument the store cannot accept (empty batch, negative version, …). */
export class InvalidArgumentError extends StrataError {
  declare readonly code: "INVALID_ARGUMENT";
  constructor(message: string) {
    super("INVALID_ARGUMENT", message);
  }
}

/** Running the store's schema migrations failed; the cause is the database error. */
export class MigrationError extends StrataError {
  declare readonly code: "MIGRATION_FAILED";
  readonly migration: string | undefined;
  constructor(options: { readonly schema: string; readonly migration?: string; readonly cause: unknown }) {
    const which = options.migration === undefined ? "" : ` "${options.migration}"`;
    super("MIGRATION_FAILED", `Migration${which} of schema "${options.schema}" failed; nothing of it was applied.`, { cause: options.cause });
    this.migration = options.migration;
  }
}

/** The database cannot be reached (connection refused, lost, shut down, closed store). */
export class StoreUnavailableError extends StrataError {
  declare readonly code: "STORE_UNAVAILABLE";
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super("STORE_UNAVAILABLE", message, options);
  }
}

/** The database rejected a statement for a reason the store does not map to a more specific error. */
export class StoreQueryError extends StrataError {
  declare readonly code: "STORE_QUERY_FAILED";
  /** The SQLSTATE the database reported, when there was one. */
  readonly sqlState: string | undefined;
  /** The constraint the statement violated, when the database named one. */
  readonly constraint: string | undefined;
  constructor(options: { readonly sqlState?: string; readonly constraint?: string; readonly hint?: string; readonly cause: unknown }) {
    const state = options.sqlState === undefined ? "" : ` with SQLSTATE ${options.sqlState}`;
    const constraint = options.constraint === undefined ? "" : ` on constraint "${options.constraint}"`;
    const hint = options.hint === undefined ? "the cause holds the driver's error" : options.hint;
    super("STORE_QUERY_FAILED", `The database rejected a statement${state}${constraint}; ${hint}.`, { cause: options.cause });
    this.sqlState = options.sqlState;
    this.constraint = options.constraint;
  }
}

/** The error class of a code: the store's own classes by name, other layers' as `StrataError` with that code. */
export type StrataErrorFor<C extends StrataErrorCode> = C extends keyof StrataErrorByCode ? StrataErrorByCode[C] : StrataError & { readonly code: C };

/** Maps each of the store's codes to its error class, for {@link isStrataError}'s narrowing. */
export interface StrataErrorByCode {
  STREAM_CONFLICT: StreamConflictError;
  STREAM_DELETED: StreamDeletedError;
  DUPLICATE_EVENT_ID: DuplicateEventIdError;
  EVENT_VALIDATION: EventValidationError;
  UNKNOWN_EVENT_TYPE: UnknownEventTypeError;
  UNKNOWN_SCHEMA_VERSION: UnknownSchemaVersionError;
  UPCAST_FAILED: UpcastError;
  INVALID_CHECKPOINT: InvalidCheckpointError;
  INVALID_ARGUMENT: InvalidArgumentError;
  MIGRATION_FAILED: MigrationError;
  STORE_UNAVAILABLE: StoreUnavailableError;
  STORE_QUERY_FAILED: StoreQueryError;
}
