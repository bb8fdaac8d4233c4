/**
 * Prints JSON data as a TypeScript expression (`{ op: "rename", path: "/a" }`), for values that
 * generated code carries as literal data: upcast operations, personal-data maps, defaults.
 * Object keys keep their order; keys that are not identifiers are quoted.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object key as written in a literal: bare when it is an identifier, quoted otherwise.
 * `__proto__` is computed (`["__proto__"]`): bare or quoted, it would set the object's prototype
 * instead of defining the key, and the data would silently lose it.
 */
export function propertyKey(key: string): string {
  if (key === "__proto__") return `[${JSON.stringify(key)}]`;
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** Prints a JSON value as a TypeScript expression. */
export function printLiteral(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot print non-finite number ${value} as JSON data`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(printLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const body = entries.map(([key, item]) => `${propertyKey(key)}: ${printLiteral(item)}`);
    return `{ ${body.join(", ")} }`;
  }
  throw new TypeError(`Cannot print a ${typeof value} as JSON data`);
}
