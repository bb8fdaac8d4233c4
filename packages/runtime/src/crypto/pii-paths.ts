/**
 * JSON Pointer helpers of the personal-data codec: expanding a `PiiFieldSpec` (with `*` for
 * array items) into the concrete fields of one event, and replacing or removing values by pointer
 * without mutating the input.
 */
import type { PiiFieldSpec } from "../registry.js";
import { PiiFieldError } from "./crypto-errors.js";

type Segments = readonly string[];

/** A concrete personal-data field of one event: where it is, its value, and its subject's id. */
export interface ConcreteField {
  readonly segments: Segments;
  readonly pointer: string;
  readonly value: unknown;
  readonly subjectId: string;
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The unescaped segments of a JSON Pointer (`""` is the root). */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  const segments = pointer.slice(1).split("/");
  // Runs for every personal field read: skip the unescaping when there is nothing to unescape.
  return pointer.includes("~") ? segments.map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~")) : segments;
}

/** The JSON Pointer of `segments`, escaped. */
export function formatPointer(segments: Segments): string {
  return segments.map((segment) => `/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The value under `segment` of an array or object, or `undefined`. Array segments must be canonical indices. */
export function child(container: unknown, segment: string): unknown {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(segment) ? container[Number(segment)] : undefined;
  if (typeof container !== "object" || container === null || !Object.hasOwn(container, segment)) return undefined;
  return (container as Record<string, unknown>)[segment];
}

function resolve(root: unknown, segments: Segments): unknown {
  let value = root;
  for (const segment of segments) value = child(value, segment);
  return value;
}

/**
 * The fields of `data` that `spec` marks as personal data, each with its subject's id. Absent
 * fields (an optional field, an empty array) yield nothing. A `*` in the subject pointer takes
 * the index of the `*` at the same position (first, second, …) in the field's path.
 *
 * @throws {@link PiiFieldError} naming the event type and field path (never the value) when a
 * present field's subject id is missing or not a non-empty string.
 */
export function expandField(data: unknown, spec: PiiFieldSpec, eventType: string): ConcreteField[] {
  const pointers = [spec.path, spec.subject].map((pointer) => {
    if (pointer !== "" && !pointer.startsWith("/")) {
      throw new PiiFieldError(eventType, spec.path, `the registry's pointer ${JSON.stringify(pointer)} is not a JSON Pointer; regenerate the events package.`);
    }
    return parsePointer(pointer);
  });
  const [path, subject] = pointers as [string[], string[]];
  const fields: ConcreteField[] = [];
  const visit = (value: unknown, depth: number, at: string[], indices: string[]): void => {
    if (value === undefined) return;
    if (depth === path.length) {
      fields.push({ segments: at, pointer: formatPointer(at), value, subjectId: subjectOf(at, indices) });
      return;
    }
    const segment = path[depth] as string;
    if (segment !== "*") return visit(child(value, segment), depth + 1, [...at, segment], indices);
    if (!Array.isArray(value)) return;
    value.forEach((item, index) => visit(item, depth + 1, [...at, String(index)], [...indices, String(index)]));
  };
  const subjectOf = (at: Segments, indices: Segments): string => {
    let star = 0;
    const concrete = subject.map((segment) => (segment === "*" ? indices[star++] : segment));
    const pointer = formatPointer(at);
    if (concrete.some((segment) => segment === undefined)) {
      throw new PiiFieldError(eventType, pointer, `its subject pointer "${spec.subject}" has more "*" than the field path "${spec.path}".`);
    }
    const subjectId = resolve(data, concrete as string[]);
    if (typeof subjectId !== "string" || subjectId === "") {
      const found = subjectId === undefined ? "missing" : `a ${subjectId === null ? "null" : typeof subjectId}`;
      throw new PiiFieldError(eventType, pointer, `its data subject id at "${formatPointer(concrete as string[])}" is ${found}; it must be a non-empty string.`);
    }
    return subjectId;
  };
  visit(data, 0, [], []);
  return fields;
}

function copyContainer(container: unknown, copies: Set<unknown>): Record<string, unknown> {
  const made = (Array.isArray(container) ? container.slice() : { ...(container as object) }) as Record<string, unknown>;
  copies.add(made);
  return made;
}

/** A replacement value that removes the location instead: an object key is deleted, an array item becomes `null` (later indices do not shift). */
export const REMOVE: unique symbol = Symbol("remove");

/**
 * A copy of `root` with each replacement's location set to its value (or removed, see
 * {@link REMOVE}). Only containers on the way to a replacement are copied; the input is never
 * mutated.
 */
export function replaceAt(root: unknown, replacements: readonly { readonly segments: Segments; readonly value: unknown }[]): unknown {
  if (replacements.length === 0) return root;
  const copies = new Set<unknown>();
  let result: unknown = root;
  for (const { segments, value } of replacements) {
    if (segments.length === 0) {
      result = value;
      continue;
    }
    if (!copies.has(result)) result = copyContainer(result, copies);
    let parent = result as Record<string, unknown>;
    const last = segments.length - 1;
    for (let depth = 0; depth < last; depth++) {
      const segment = segments[depth] as string;
      const next = parent[segment];
      parent = copies.has(next) ? (next as Record<string, unknown>) : setOwn(parent, segment, copyContainer(next, copies));
    }
    const key = segments[last] as string;
    if (value !== REMOVE) setOwn(parent, key, value);
    else if (Array.isArray(parent)) parent[Number(key)] = null;
    else delete parent[key];
  }
  return result;
}

/** Sets an own property, even one named `__proto__` (JSON data may carry such a key). */
function setOwn<V>(target: Record<string, unknown>, key: string, value: V): V {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
  return value;
}
