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

function applyOne(data: unknown, operation: UpcastOperation): unknown {
  const segments = parsePointer(operation.path);
  const name = segments.at(-1);
  if (name === undefined || name === "*") throw new TypeError(`Upcast path must end in a property name: "${operation.path}"`);
  const parents = segments.slice(0, -1);
  switch (operation.op) {
    case "set-default":
      return updateAt(data, parents, (target) =>
        Object.hasOwn(target, name) ? target : { ...target, [name]: copyValue(operation.value) },
      );
    case "rename":
      return updateAt(data, parents, (target) => {
        if (!Object.hasOwn(target, name)) return target;
        const { [name]: moved, ...others } = target;
        return { ...others, [operation.to]: moved };
      });
    case "remove":
      return updateAt(data, parents, (target) => {
        if (!Object.hasOwn(target, name)) return target;
        const { [name]: _removed, ...others } = target;
        return others;
      });
  }
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
  return operations.reduce<unknown>(applyOne, data);
}
