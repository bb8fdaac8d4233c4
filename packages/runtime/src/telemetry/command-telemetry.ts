/**
 * Command handling's span (`strata.command`, with `strata.decider.name`, `strata.stream.id`,
 * `strata.command.outcome` and `strata.command.attempts`) and the ids its events record.
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import { v7 as uuidv7 } from "uuid";
import { currentCausation } from "./causation.js";
import { inSpan } from "./strata-tracer.js";
import { TELEMETRY_ATTRIBUTES as A } from "./telemetry-attributes.js";

/**
 * The metadata of a command's events: the caller's, with `commandId`, `correlationId` (the
 * caller's, else the causing event's, else the command id) and `causationId` (the caller's, else
 * the causing event's id when the command runs in a reaction, else the command id).
 */
export function commandMetadata(options: { readonly metadata?: Readonly<Record<string, unknown>>; readonly commandId?: string }): Readonly<Record<string, unknown>> {
  const commandId = options.commandId ?? uuidv7();
  const causation = currentCausation();
  return { correlationId: causation?.correlationId ?? commandId, causationId: causation?.causationId ?? commandId, commandId, ...options.metadata };
}

/** Runs one command in a `strata.command` span. */
export function traceCommand<R extends { readonly status: string; readonly attempts: number }>(deciderName: string, streamId: string, work: () => Promise<R>): Promise<R> {
  return inSpan("strata.command", { kind: SpanKind.INTERNAL, attributes: { [A.deciderName]: deciderName, [A.streamId]: streamId } }, async (span) => {
    const result = await work();
    span.setAttribute(A.commandOutcome, result.status);
    span.setAttribute(A.commandAttempts, result.attempts);
    return result;
  });
}
