/**
 * Mechanical upcasting operations, the building blocks of the upcasters that codegen derives
 * from a schema diff. Generated code lists them as data; this interpreter applies them, so
 * every derived upcaster shares one tested implementation.
 */

/**
 * One mechanical change to event data. Paths are JSON Pointers; the segment `*` applies the
 * operation to every item of an array.
 */
export type UpcastOperation =
  /** Sets the property at `path` to `value` when it is absent (a new field with a `default`). */
  | { readonly op: "set-default"; readonly path: string; readonly value: unknown }
  /** Moves the property at `path` to the sibling named `to` (an `x-renamed-from` rename). */
  | { readonly op: "rename"; readonly path: string; readonly to: string }
  /** Deletes the property at `path` (a field the new version dropped). */
  | { readonly op: "remove"; readonly path: string };

/** Parsed pointers, by text: generated upcasters pass the same few paths for every event read. */
const parsedPointers = new Map<string, readonly string[]>();

function parsePointer(pointer: string): readonly string[] {
  const cached = parsedPointers.get(pointer);
  if (cached !== undefined) return cached;
  const segments = splitPointer(pointer);
  if (parsedPointers.size < 10_000) parsedPointers.set(pointer, segments);
  return segments;
}

function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new TypeError(`Not a JSON Pointer: "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A default is copied so no two events share one mutable object; primitives need no copy. */
function copyValue(value: unknown): unknown {
  return typeof value === "object" && value !== null ? structuredClone(value) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns a copy of `value` with `edit` applied to every object that `parents` reaches. */
function updateAt(value: unknown, parents: readonly string[], edit: (target: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (parents.length === 0) return isRecord(value) ? edit(value) : value;
  const [head, ...rest] = parents as [string, ...string[]];
  if (head === "*") {
    return Array.isArray(value) ? value.map((item) => updateAt(item, rest, edit)) : value;
  }
  if (!isRecord(value) || !Object.hasOwn(value, head)) return value;
  return { ...value, [head]: updateAt(value[head], rest, edit) };
}

/** Sets an own data property, `__proto__` included (as object spread and JSON.parse do). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A copy of `target` without `name`, then `extra` (when given) set last: `{ ...others, [to]: moved }` in one pass. */
function rebuiltWithout(target: Record<string, unknown>, name: string, extraKey?: string, extraValue?: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(target)) if (key !== name) put(out, key, target[key]);
  if (extraKey !== undefined) put(out, extraKey, extraValue);
  return out;
}

/**
 * Applies derived upcasting operations in order. Pure: the input is never mutated.
 *
 * @example
 * ```ts
 * applyUpcastOperations({ amount: 5 }, [{ op: "set-default", path: "/currency", value: "EUR" }]);
 * // → { amount: 5, currency: "EUR" }
 * ```
 */
export function applyUpcastOperations(data: unknown, operations: readonly UpcastOperation[]): unknown {
  // Interpreted (pointers parsed once, cached): generated upcasters pass a new list literal on
  // every call, so compiling a list would cost more than applying it. The first operation that
  // changes the data makes one copy of it; later top-level operations edit that copy in place.
  let value = data;
  let owned = false;
  for (const operation of operations) {
    const next = applyOne(value, operation, owned);
    if (next !== value) owned = true;
    value = next;
  }
  return value;
}

function applyOne(data: unknown, operation: UpcastOperation, owned: boolean): unknown {
  const segments = parsePointer(operation.path);
  const name = segments.at(-1);
  if (name === undefined || name === "*") throw new TypeError(`Upcast path must end in a property name: "${operation.path}"`);
  if (segments.length === 1) return isRecord(data) ? editTarget(data, name, operation, owned) : data;
  return updateAt(data, segments.slice(0, -1), (target) => editTarget(target, name, operation, false));
}

function editTarget(target: Record<string, unknown>, name: string, operation: UpcastOperation, owned: boolean): Record<string, unknown> {
  if (!Object.hasOwn(target, name)) {
    if (operation.op !== "set-default") return target;
    const out = owned ? target : { ...target };
    put(out, name, copyValue(operation.value));
    return out;
  }
  switch (operation.op) {
    case "set-default":
      return target;
    case "rename":
      return rebuiltWithout(target, name, operation.to, target[name]);
    case "remove":
      return rebuiltWithout(target, name);
  }
}
