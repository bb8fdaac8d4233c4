/**
 * Errors of forwarding events to brokers and consuming them back. They are {@link StrataError}s,
 * so `isStrataError(e, "BROKER_UNAVAILABLE")` narrows them like every runtime error. Messages
 * name the forwarder or consumer, the event id, type and stream, never event data.
 *
 * @module
 */
import { StrataError } from "../errors.js";

/** Every code an {@link IntegrationError} can carry. */
export const INTEGRATION_ERROR_CODES = ["BROKER_UNAVAILABLE", "PUBLISH_REJECTED", "MESSAGE_INVALID", "MESSAGE_INCOMPATIBLE", "CONSUMER_STOPPED"] as const;

/** A stable integration error code. */
export type IntegrationErrorCode = (typeof INTEGRATION_ERROR_CODES)[number];

/** The base of the integration errors. */
export class IntegrationError extends StrataError {
  declare readonly code: IntegrationErrorCode;
}

/**
 * The broker did not confirm a publish: the connection is down, it timed out, or nothing is there
 * to store the subject yet. Transient: a forwarder retries it with backoff for as long as it
 * lasts and never counts it against the event (the event is not at fault); the lag grows meanwhile.
 */
export class BrokerUnavailableError extends IntegrationError {
  declare readonly code: "BROKER_UNAVAILABLE";
  /** `messaging.system` of the broker: `"nats"`, `"rabbitmq"`, … */
  readonly system: string;
  constructor(options: { readonly system: string; readonly eventId: string; readonly destination: string; readonly reason: string; readonly cause?: unknown }) {
    super(
      "BROKER_UNAVAILABLE",
      `${options.system} did not confirm event ${options.eventId} to "${options.destination}": ${options.reason}. The forwarder retries with backoff; check the broker and its stream or exchange.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.system = options.system;
  }
}

/**
 * The broker refused this one message (too large, unroutable, refused by a policy). Counted
 * against the event like a failing handler: the forwarder's failure policy applies.
 */
export class PublishRejectedError extends IntegrationError {
  declare readonly code: "PUBLISH_REJECTED";
  readonly eventId: string;
  constructor(options: { readonly system: string; readonly eventId: string; readonly eventType: string; readonly destination: string; readonly reason: string; readonly cause?: unknown }) {
    super(
      "PUBLISH_REJECTED",
      `${options.system} refused event ${options.eventId} (${options.eventType}) to "${options.destination}": ${options.reason}.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.eventId = options.eventId;
  }
}

/** A received message is not a Strata event: a header is missing or malformed, or the body is not JSON. */
export class MessageInvalidError extends IntegrationError {
  declare readonly code: "MESSAGE_INVALID";
  constructor(options: { readonly consumer: string; readonly messageId: string; readonly problem: string }) {
    super("MESSAGE_INVALID", `Consumer "${options.consumer}" received message ${options.messageId}, which is not a Strata event: ${options.problem}.`);
  }
}

/**
 * A received event cannot be read with the consumer's registry: its schema version is newer than
 * the consumer's and its data does not fit the consumer's latest schema, or upcasting failed.
 */
export class MessageIncompatibleError extends IntegrationError {
  declare readonly code: "MESSAGE_INCOMPATIBLE";
  readonly eventId: string;
  constructor(options: { readonly consumer: string; readonly eventId: string; readonly eventType: string; readonly schemaVersion: number; readonly reason: string; readonly cause?: unknown }) {
    super(
      "MESSAGE_INCOMPATIBLE",
      `Consumer "${options.consumer}" cannot read event ${options.eventId} (${options.eventType} v${options.schemaVersion}): ${options.reason}. Upgrade the consumer's events package, or keep the change forward compatible.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.eventId = options.eventId;
  }
}

/** A consumer stopped on a message it could not apply after its attempts (failure policy `"stop"`). */
export class ConsumerStoppedError extends IntegrationError {
  declare readonly code: "CONSUMER_STOPPED";
  readonly eventId: string;
  constructor(options: { readonly consumer: string; readonly eventId: string; readonly attempts: number; readonly cause?: unknown }) {
    super(
      "CONSUMER_STOPPED",
      `Consumer "${options.consumer}" failed ${options.attempts} time(s) on event ${options.eventId} and stopped; the message stays unacknowledged on the broker. Fix the handler and start the consumer again, or use the "dead-letter" policy.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.eventId = options.eventId;
  }
}

/** Whether `error` is an integration error (by code, so it works across duplicated installs). */
export function isIntegrationError(error: unknown): error is IntegrationError {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && (INTEGRATION_ERROR_CODES as readonly string[]).includes(code);
}

/** Whether a forwarder should retry `error` without counting it against the event. */
export function isTransientPublishError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "BROKER_UNAVAILABLE";
}
