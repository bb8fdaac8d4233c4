/**
 * Read-side validation of event data that may hold erased fields. The erased marker
 * (`{"$erased": true}`) is valid exactly at the personal-data paths of the data's schema version
 * and nowhere else: a marker elsewhere means corrupted data or a buggy upcaster.
 *
 * @module
 */
import { isErased } from "../crypto/erased.js";
import { formatPointer } from "../crypto/pii-paths.js";
import type { EventVersionSpec, ValidationIssue } from "../registry.js";

/** The outcome of {@link validateReadData}. */
export type ReadValidationResult = { readonly success: true; readonly data: unknown } | { readonly success: false; readonly issues: readonly ValidationIssue[] };

function markers(value: unknown, at: string[], found: string[][]): void {
  if (typeof value !== "object" || value === null) return;
  if (isErased(value)) {
    found.push([...at]);
    return;
  }
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [key, item] of entries) markers(item, [...at, key], found);
}

function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  return pattern.length === segments.length && pattern.every((part, index) => (part === "*" ? /^(0|[1-9]\d*)$/.test(segments[index] ?? "") : part === segments[index]));
}

const parsePath = (pointer: string): string[] => (pointer === "" ? [] : pointer.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~")));

function under(path: readonly PropertyKey[], prefix: readonly string[]): boolean {
  return prefix.every((segment, index) => String(path[index]) === segment);
}

/**
 * Validates `data` against `spec` (one schema version of an event type) as a reader would: the
 * erased marker is accepted at the version's `x-pii` paths — the validator's complaints about it
 * there are dropped — and reported anywhere else.
 *
 * @example
 * ```ts
 * const result = validateReadData(registry.events["CustomerRegistered"].versions[2], event.data);
 * if (!result.success) console.error(result.issues.map((issue) => issue.path.join("/")));
 * ```
 */
export function validateReadData(spec: EventVersionSpec, data: unknown): ReadValidationResult {
  const found: string[][] = [];
  markers(data, [], found);
  const patterns = spec.pii.map((field) => parsePath(field.path));
  const issues: ValidationIssue[] = [];
  const allowed: string[][] = [];
  for (const segments of found) {
    if (patterns.some((pattern) => matches(pattern, segments))) allowed.push(segments);
    else issues.push({ path: segments, message: `The erased marker is not allowed at ${formatPointer(segments) || "the root"}: it is not a personal-data field of v${spec.version}.` });
  }
  const result = spec.validator.safeParse(data);
  if (!result.success) issues.push(...result.error.issues.filter((issue) => !allowed.some((prefix) => under(issue.path, prefix))));
  if (issues.length > 0) return { success: false, issues };
  return { success: true, data: result.success ? result.data : data };
}
