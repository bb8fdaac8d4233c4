import { InvalidCheckpointError } from "../errors.js";
import type { Checkpoint } from "./recorded-event.js";

/** A decoded checkpoint: the writer's transaction id and the position, both as decimal strings. */
export interface CheckpointParts {
  readonly transactionId: string;
  readonly position: string;
}

const MAX_INT8 = "9223372036854775807";
const FORMAT = /^(0|[1-9][0-9]{0,19}):(0|[1-9][0-9]{0,18})$/;

/** Before the first event. */
export const START: CheckpointParts = { transactionId: "0", position: "0" };

/** Encodes a position in the global order. */
export function encodeCheckpoint(transactionId: string, position: string | bigint): Checkpoint {
  return `${transactionId}:${position}`;
}

/** Decodes a checkpoint string produced by {@link encodeCheckpoint}; throws {@link InvalidCheckpointError}. */
export function decodeCheckpoint(checkpoint: Checkpoint | undefined): CheckpointParts {
  if (checkpoint === undefined) return START;
  const match = typeof checkpoint === "string" ? FORMAT.exec(checkpoint) : null;
  if (match === null || BigInt(match[2] ?? "0") > BigInt(MAX_INT8) || BigInt(match[1] ?? "0") >= 2n ** 64n) {
    throw new InvalidCheckpointError({ checkpoint: String(checkpoint) });
  }
  return { transactionId: match[1] ?? "0", position: match[2] ?? "0" };
}

/**
 * The checkpoint after every transaction below `horizon` (the oldest transaction in flight when
 * the read ran): all those transactions have ended, so nothing can appear below it any more.
 */
export function horizonCheckpoint(horizon: string): CheckpointParts {
  return { transactionId: (BigInt(horizon) - 1n).toString(), position: MAX_INT8 };
}

/** Orders two decoded checkpoints. */
export function compareCheckpointParts(a: CheckpointParts, b: CheckpointParts): number {
  const byTransaction = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (byTransaction !== 0n) return byTransaction < 0n ? -1 : 1;
  const byPosition = BigInt(a.position) - BigInt(b.position);
  return byPosition === 0n ? 0 : byPosition < 0n ? -1 : 1;
}
