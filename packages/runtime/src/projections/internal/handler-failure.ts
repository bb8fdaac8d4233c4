import type { RecordedEvent } from "../../store/recorded-event.js";

/** Which checkpoint a step advances. */
export type Target = "live" | "rebuild";

/** The handler threw on these events (nothing of the batch was committed). Internal to the engine. */
export class HandlerFailure extends Error {
  readonly events: readonly RecordedEvent[];
  readonly target: Target;
  constructor(events: readonly RecordedEvent[], target: Target, cause: unknown) {
    super("handler failed", { cause });
    this.events = events;
    this.target = target;
  }
}
