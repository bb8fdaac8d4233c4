/**
 * Which NATS errors mean "the broker did not confirm, try again" and which mean "it refused this
 * message". Told apart by the client's error class names (exported by @nats-io/nats-core and
 * @nats-io/jetstream; compared by name so that two installed copies of the client agree).
 */
import { BrokerUnavailableError, PublishRejectedError } from "@strata/runtime";
import type { OutgoingMessage } from "@strata/runtime";

// The server or client refused the message itself: publishing it again would fail again.
const REFUSED = new Set(["InvalidSubjectError", "InvalidArgumentError", "PermissionViolationError", "AuthorizationError"]);

/** The Strata error for a failed JetStream publish of `message`. */
export function publishError(error: unknown, message: OutgoingMessage): BrokerUnavailableError | PublishRejectedError {
  const name = error instanceof Error ? error.name : "Error";
  const status = typeof error === "object" && error !== null ? (error as { status?: unknown }).status : undefined;
  const apiRefusal = name === "JetStreamApiError" && typeof status === "number" && status < 500;
  const reason = `${name}${error instanceof Error && error.message !== "" ? `: ${error.message}` : ""}`;
  if (REFUSED.has(name) || apiRefusal) {
    return new PublishRejectedError({ system: "nats", eventId: message.id, eventType: message.event.type, destination: message.destination, reason, cause: error });
  }
  return new BrokerUnavailableError({ system: "nats", eventId: message.id, destination: message.destination, reason, cause: error });
}
