/**
 * The inbox's failure handling: a batch is tried whole; when a message is at fault (its handler
 * threw, it is not a Strata event, the consumer cannot read its version) the batch is retried one
 * message at a time to find it, and that message gets `maxAttempts` with backoff before the
 * policy decides (stop, or dead-letter and go on). Database outages are not a message's fault:
 * retried with backoff, uncounted, until the consumer stops.
 */
import { SpanKind } from "@opentelemetry/api";
import { isIntegrationError, ConsumerStoppedError } from "../integration-errors.js";
import { EVENT_HEADERS } from "../event-message.js";
import type { IncomingMessage } from "../incoming-event.js";
import type { DeliveryReport } from "../inbox.js";
import { inSpan } from "../../telemetry/strata-tracer.js";
import { linksFromMetadata } from "../../telemetry/trace-context.js";
import { TELEMETRY_ATTRIBUTES } from "../../telemetry/telemetry-attributes.js";
import { ApplyFailure } from "./inbox-receiver.js";
import type { InboxReceiver, ReceiveCounts } from "./inbox-receiver.js";
import { pause } from "./failure-policy.js";
import type { ResolvedFailurePolicy } from "./failure-policy.js";

const isMessageFault = (error: unknown): boolean => error instanceof ApplyFailure || (isIntegrationError(error) && (error as { code: string }).code !== "BROKER_UNAVAILABLE");

/** Runs `receive` until it succeeds or fails through the message's fault; infrastructure errors are retried. */
async function untilDecided(receive: () => Promise<ReceiveCounts>, policy: ResolvedFailurePolicy, signal: AbortSignal | undefined): Promise<ReceiveCounts> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await receive();
    } catch (error) {
      if (isMessageFault(error) || signal?.aborted === true) throw error;
      await pause(policy.backoff(attempt), signal);
    }
  }
}

async function deliverOne(receiver: InboxReceiver, message: IncomingMessage, policy: ResolvedFailurePolicy, signal: AbortSignal | undefined): Promise<ReceiveCounts & { deadLettered: number }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ...(await untilDecided(() => receiver.receive([message]), policy, signal)), deadLettered: 0 };
    } catch (error) {
      if (!isMessageFault(error)) throw error;
      if (attempt < policy.maxAttempts && signal?.aborted !== true) {
        await pause(policy.backoff(attempt), signal);
        continue;
      }
      const eventId = message.header(EVENT_HEADERS.eventId) ?? message.messageId;
      const cause = error instanceof ApplyFailure ? error.cause : error;
      if (policy.onExhausted === "stop" || signal?.aborted === true) throw new ConsumerStoppedError({ consumer: receiver.name, eventId, attempts: attempt, cause });
      await untilDecided(async () => {
        await receiver.deadLetter(message, attempt, error);
        return { applied: 0, duplicates: 0, ignored: 0 };
      }, policy, signal);
      return { applied: 0, duplicates: 0, ignored: 0, deadLettered: 1 };
    }
  }
}

function linksOf(messages: readonly IncomingMessage[]) {
  return linksFromMetadata(messages.map((message) => ({ metadata: { traceparent: message.header(EVENT_HEADERS.traceparent), tracestate: message.header(EVENT_HEADERS.tracestate) } })));
}

/** Delivers a batch under the policy; see the module comment. */
export function deliverWithPolicy(
  receiver: InboxReceiver,
  messages: readonly IncomingMessage[],
  policy: ResolvedFailurePolicy,
  messaging: { readonly system: string; readonly destination: string } | undefined,
  signal: AbortSignal | undefined,
): Promise<DeliveryReport> {
  const attributes = {
    [TELEMETRY_ATTRIBUTES.messagingSystem]: messaging?.system ?? "strata",
    [TELEMETRY_ATTRIBUTES.messagingOperationType]: "process",
    [TELEMETRY_ATTRIBUTES.messagingOperationName]: "process",
    [TELEMETRY_ATTRIBUTES.messagingConsumerGroupName]: receiver.name,
    [TELEMETRY_ATTRIBUTES.messagingBatchMessageCount]: messages.length,
    ...(messaging === undefined ? {} : { [TELEMETRY_ATTRIBUTES.messagingDestinationName]: messaging.destination }),
  };
  return inSpan(`process ${receiver.name}`, { kind: SpanKind.CONSUMER, attributes, links: linksOf(messages) }, async () => {
    if (messages.length === 0) return { applied: 0, duplicates: 0, ignored: 0, deadLettered: 0 };
    try {
      return { ...(await untilDecided(() => receiver.receive(messages), policy, signal)), deadLettered: 0 };
    } catch (error) {
      if (!isMessageFault(error)) throw error;
    }
    const total = { applied: 0, duplicates: 0, ignored: 0, deadLettered: 0 };
    for (const message of messages) {
      const one = await deliverOne(receiver, message, policy, signal);
      total.applied += one.applied;
      total.duplicates += one.duplicates;
      total.ignored += one.ignored;
      total.deadLettered += one.deadLettered;
    }
    return total;
  });
}
