/**
 * Deep equality with a readable diff. Node's own `assert.deepStrictEqual` already compares
 * bigint, Date, Map and Set correctly and prints a `+ actual - expected` diff, so it is used as
 * it is; this wrapper only puts a sentence of context above the diff.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * Throws an `AssertionError` (with `actual`, `expected` and a line diff in its message) unless
 * the two values are deeply, strictly equal.
 *
 * @example
 * ```ts
 * assertDeepEqual(state, { balance: 100n }, "balance after two deposits");
 * ```
 */
export function assertDeepEqual<T>(actual: unknown, expected: T, context: string): asserts actual is T {
  try {
    assert.deepStrictEqual(actual, expected);
  } catch (error) {
    if (error instanceof assert.AssertionError) error.message = `${context}\n\n${error.message}`;
    throw error;
  }
}
