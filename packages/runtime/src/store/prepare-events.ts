import { v7 as uuidv7, validate as isUuid } from "uuid";
import { EventValidationError, InvalidArgumentError, UnknownEventTypeError } from "../errors.js";
import type { EventValidationIssue, ExpectedVersion } from "../errors.js";
import type { EventRegistry } from "../registry.js";
import { systemEventSpec } from "../erasure/system-events.js";
import type { EventMetadata, NewEvent } from "./recorded-event.js";
import { findUnstorableValues, isStorableText } from "./storable-values.js";

/** An event that passed validation, ready to be written. */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** The validator's output (defaults applied, unknown keys handled as the schema says). */
  readonly data: unknown;
  readonly metadata: EventMetadata | undefined;
}

/** One stream's share of an append, validated. */
export interface PreparedBatch {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly PreparedEvent[];
  /** Whether any id came from the caller: only then can the batch be a retry of an earlier append. */
  readonly callerIds: boolean;
}

/** Checks a stream id and an expected version; throws {@link InvalidArgumentError}. */
export function checkStreamArguments(streamId: string, expectedVersion: ExpectedVersion): void {
  if (typeof streamId !== "string" || streamId.length === 0 || !isStorableText(streamId)) {
    throw new InvalidArgumentError("A stream id must be a non-empty string without U+0000 or unpaired surrogates.");
  }
  if (typeof expectedVersion === "number" && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new InvalidArgumentError(`Expected version ${expectedVersion} for stream "${streamId}" is not a non-negative integer.`);
  }
}

/**
 * Validates a batch against the registry's latest schemas and assigns ids. Throws before
 * anything is written: {@link UnknownEventTypeError} for an undeclared type,
 * {@link EventValidationError} listing every issue of every event otherwise.
 */
export function prepareBatch(
  registry: EventRegistry,
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: ExpectedVersion,
  sharedMetadata: EventMetadata | undefined,
): PreparedBatch {
  checkStreamArguments(streamId, expectedVersion);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidArgumentError(`Append to stream "${streamId}" carries no events; pass at least one.`);
  }
  const issues: EventValidationIssue[] = [];
  const seenIds = new Set<string>();
  let callerIds = false;
  const prepared = events.map((event, eventIndex): PreparedEvent => {
    // `$strata.` system events (erasure) are Strata's own: accepted without the application's registry.
    const spec = registry.events[event.type] ?? systemEventSpec(event.type);
    if (spec === undefined) {
      throw new UnknownEventTypeError({ type: event.type, context: registry.context, where: `event #${eventIndex} appended to stream "${streamId}"`, known: Object.keys(registry.events) });
    }
    const validator = spec.versions[spec.latestVersion]?.validator;
    if (validator === undefined) {
      throw new InvalidArgumentError(`Registry "${registry.context}" declares no validator for ${event.type} v${spec.latestVersion}.`);
    }
    const result = validator.safeParse(event.data);
    if (!result.success) {
      for (const issue of result.error.issues) issues.push({ ...issue, type: event.type, eventIndex });
    }
    // What jsonb or JSON cannot hold exactly is refused here, never found later by a driver or a projection.
    for (const issue of findUnstorableValues(result.success ? result.data : event.data)) issues.push({ ...issue, type: event.type, eventIndex });
    let id = event.id;
    if (id === undefined) {
      id = uuidv7();
    } else {
      callerIds = true;
      if (!isUuid(id)) throw new InvalidArgumentError(`Event #${eventIndex} for stream "${streamId}" has id "${String(id).slice(0, 60)}", which is not a UUID.`);
      id = id.toLowerCase();
    }
    if (seenIds.has(id)) throw new InvalidArgumentError(`Event id ${id} appears twice in one append to stream "${streamId}".`);
    seenIds.add(id);
    const metadata = event.metadata === undefined ? sharedMetadata : { ...sharedMetadata, ...event.metadata };
    if (metadata !== undefined) for (const issue of findUnstorableValues(metadata, ["(metadata)"])) issues.push({ ...issue, type: event.type, eventIndex });
    return { id, type: event.type, schemaVersion: spec.latestVersion, data: result.success ? result.data : undefined, metadata };
  });
  if (issues.length > 0) throw new EventValidationError({ issues, streamId });
  return { streamId, expectedVersion, events: prepared, callerIds };
}
