import type { EventShape } from "../registry.js";

/**
 * Metadata stored with an event. `correlationId` and `causationId` are conventional; any other
 * JSON-serialisable field is kept as given.
 */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly [field: string]: unknown;
}

/**
 * An event to append: one of the registry's latest event shapes, an optional id (UUIDv7 by
 * default; supply your own to make retries idempotent) and optional metadata.
 */
export type NewEvent<E extends EventShape = EventShape> = E extends EventShape
  ? { readonly type: E["type"]; readonly data: E["data"]; readonly id?: string; readonly metadata?: EventMetadata }
  : never;

/**
 * An opaque, serialisable position in the global order. Store it as a string and hand it back
 * to `readAll({ after })`; do not parse or compare it yourself.
 */
export type Checkpoint = string;

/** A stored event as readers see it: always in the latest schema version of its type. */
export type RecordedEvent<E extends EventShape = EventShape> = E extends EventShape
  ? {
      readonly id: string;
      readonly streamId: string;
      /** 1-based position in the stream, without gaps. */
      readonly version: number;
      /** Position in the append sequence; unique, but see `checkpoint` for the global order. */
      readonly globalPosition: bigint;
      /** Where this event sits in the global order; `readAll({ after: checkpoint })` continues after it. */
      readonly checkpoint: Checkpoint;
      readonly type: E["type"];
      /** The latest schema version of the type: `data` has been upcast to it. */
      readonly schemaVersion: number;
      /** The schema version the event was written with. */
      readonly storedSchemaVersion: number;
      readonly data: E["data"];
      readonly metadata: EventMetadata;
      readonly recordedAt: Date;
    }
  : never;
