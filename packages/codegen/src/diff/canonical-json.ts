/**
 * Key-order-independent comparison of JSON values, on the lock file's canonical JSON (sorted
 * object keys), so that the diff never depends on how a schema file orders its keys.
 */
import { canonicalJson } from "../lock/content-hash.js";

export { canonicalJson };

/** Deep equality of two JSON values, ignoring object key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
