/**
 * A process's stream, folded: the state after its last step, whether it is done, the steps by the
 * input they answered, and which deadline schedule is the live one per key.
 *
 * @module
 */
import type { EventMetadata } from "../store/recorded-event.js";
import type { ProcessStepData } from "./process-step-event.js";

/** One recorded step. */
export interface RecordedStep {
  readonly id: string;
  readonly metadata: EventMetadata;
  readonly data: ProcessStepData;
}

/** The fold of a process's stream. */
export interface ProcessHistory<S> {
  /** The stream's version (0: no step yet). */
  readonly version: number;
  readonly state: S;
  readonly done: boolean;
  /** Steps by the key of the input they answered. */
  readonly steps: ReadonlyMap<string, RecordedStep>;
  /** Per deadline key, the input key of its live schedule (absent: none pending). */
  readonly live: ReadonlyMap<string, string>;
}

/** The input key a deadline scheduled by step `stepId` becomes. */
export const deadlineInputKey = (key: string, stepId: string): string => `deadline:${key}:${stepId}`;

/** Folds recorded steps, oldest first. */
export function foldHistory<S>(initialState: S, steps: readonly RecordedStep[], version: number): ProcessHistory<S> {
  let state = initialState;
  let done = false;
  const byInput = new Map<string, RecordedStep>();
  const live = new Map<string, string>();
  for (const step of steps) {
    const { data } = step;
    byInput.set(data.input.key, step);
    state = data.state as S;
    if (data.input.kind === "deadline" && live.get(data.input.name) === data.input.key) live.delete(data.input.name);
    for (const key of data.cancel) live.delete(key);
    for (const deadline of data.schedule) live.set(deadline.key, deadlineInputKey(deadline.key, step.id));
    if (data.done) {
      done = true;
      live.clear();
    }
  }
  return { version, state, done, steps: byInput, live };
}
