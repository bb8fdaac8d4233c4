import type { EventShape } from "../registry.js";
import type { RecordedEvent } from "./recorded-event.js";

/** What an append wrote (or, for an idempotent retry, what the original append wrote). */
export interface AppendResult<E extends EventShape = EventShape> {
  readonly streamId: string;
  /** Version of the first appended event. */
  readonly firstVersion: number;
  /** Version of the last appended event. */
  readonly lastVersion: number;
  /** Pass this as `expectedVersion` to append next without re-reading the stream. Equals `lastVersion`. */
  readonly nextExpectedVersion: number;
  /** The appended events as readers will see them, in stream order. */
  readonly events: readonly RecordedEvent<E>[];
}
