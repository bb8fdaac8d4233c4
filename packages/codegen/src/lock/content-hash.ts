/**
 * Content hashes of schema files: SHA-256 of canonical JSON (object keys sorted recursively, no
 * whitespace), so reformatting or reordering keys is not an edit but any change of value is.
 */
import { createHash } from "node:crypto";

/** Canonical JSON text of a parsed JSON value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `sha256-<hex>` of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return `sha256-${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}
