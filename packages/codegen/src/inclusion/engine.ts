/**
 * The two recursive operations of the inclusion engine, passed to the keyword-family modules so
 * that they can recurse without importing the dispatcher (which imports them).
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import type { Inclusion } from "./inclusion.js";
import type { Kind } from "./schema-node.js";

/** Recursion handles of the engine. */
export interface Engine {
  /** Every instance of `a` satisfies `b`. */
  readonly subset: (a: JsonSchema, b: JsonSchema) => Inclusion;
  /** An instance of `schema` (of `kind`, when given), if one is easy to build. */
  readonly example: (schema: JsonSchema, kind?: Kind) => JsonValue | undefined;
}

/** The schema that requires all of `schemas` (`true` for none, `false` if one is `false`). */
export function allOf(schemas: readonly JsonSchema[]): JsonSchema {
  const kept = schemas.filter((schema) => schema !== true && !(typeof schema === "object" && Object.keys(schema).length === 0));
  if (kept.some((schema) => schema === false)) return false;
  if (kept.length === 0) return true;
  return kept.length === 1 ? (kept[0] as JsonSchema) : { allOf: [...kept] };
}
