/**
 * Encodes aggregate states for snapshots. superjson keeps what plain JSON loses (bigint, Date,
 * Map, Set, undefined, RegExp) and is widely used and maintained, so no hand-written codec.
 *
 * @module
 */
import superjson from "superjson";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes a state as UTF-8 superjson bytes. */
export function encodeSnapshotState(state: unknown): Uint8Array {
  return encoder.encode(superjson.stringify(state));
}

/**
 * Decodes bytes written by {@link encodeSnapshotState}. Throws on invalid UTF-8, invalid JSON or
 * a payload that is not a superjson document.
 */
export function decodeSnapshotState(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || !("json" in parsed)) {
    throw new TypeError("Snapshot payload is not a superjson document (no `json` member).");
  }
  return superjson.deserialize(parsed as Parameters<typeof superjson.deserialize>[0]);
}
