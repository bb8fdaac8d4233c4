/**
 * The value an erased data subject's personal-data fields read back as.
 *
 * Erasure deletes the subject's data key; the events stay and replay still works, but every
 * field that was encrypted with that key comes back as this marker instead of its value. It is
 * plain JSON (`{"$erased":true}`), so it survives snapshots, read models and JSONB as it is, and
 * generated types will declare personal-data fields as `T | Erased`.
 */

/** An erased personal-data field. Discriminate it with {@link isErased}. */
export interface Erased {
  readonly $erased: true;
}

/**
 * The erased marker. Frozen; compare with {@link isErased}, not by identity, because a marker that
 * went through JSON (a snapshot, a read model) is another object with the same shape.
 *
 * @example
 * ```ts
 * const email = isErased(event.data.email) ? "(erased)" : event.data.email;
 * ```
 */
export const ERASED: Erased = Object.freeze({ $erased: true });

/** True when `value` is the erased marker, including one that was serialised and parsed again. */
export function isErased(value: unknown): value is Erased {
  return typeof value === "object" && value !== null && (value as { $erased?: unknown }).$erased === true && Object.keys(value).length === 1;
}
