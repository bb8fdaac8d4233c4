/**
 * Array keywords: `items` and `prefixItems` compared position by position (a position that one
 * version describes with `prefixItems` and the other with `items` is compared across the two),
 * and `contains`.
 */
import type { JsonSchema, JsonSchemaObject } from "../model/catalog-model.js";
import type { DiffContext, DiffLocation } from "./diff-context.js";
import { NARROWING, WIDENING, at, reportSimple, within } from "./diff-context.js";
import { childPointer, itemsPointer } from "./json-pointer.js";
import { asSchema } from "./normalize-schema.js";

function prefixOf(schema: JsonSchemaObject): readonly JsonSchema[] {
  const prefix = schema["prefixItems"];
  return Array.isArray(prefix) ? prefix.map((item) => asSchema(item) ?? true) : [];
}

/** The schema that applies to array position `index` (`items` beyond `prefixItems`). */
function schemaAt(schema: JsonSchemaObject, prefix: readonly JsonSchema[], index: number): JsonSchema {
  return prefix[index] ?? asSchema(schema["items"]) ?? true;
}

/** Reports changes to `items`, `prefixItems` and `contains`. */
export function diffArray(context: DiffContext, older: JsonSchemaObject, newer: JsonSchemaObject, location: DiffLocation): void {
  const before = prefixOf(older);
  const after = prefixOf(newer);
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index += 1) {
    context.diffNode(schemaAt(older, before, index), schemaAt(newer, after, index), // applyUpcastOperations addresses properties and `*`, not tuple positions: not derivable.
      { ...at(location, childPointer(location.pointer, String(index))), conditional: true });
  }
  if ("items" in older || "items" in newer) {
    context.diffNode(asSchema(older["items"]), asSchema(newer["items"]), at(location, itemsPointer(location.pointer)));
  }
  const containsBefore = asSchema(older["contains"]);
  const containsAfter = asSchema(newer["contains"]);
  if (containsBefore === undefined && containsAfter !== undefined) {
    reportSimple(context, location, "constraint-tightened", "contains added", NARROWING);
  } else if (containsBefore !== undefined && containsAfter === undefined) {
    reportSimple(context, location, "constraint-loosened", "contains removed", WIDENING);
  } else if (containsBefore !== undefined && containsAfter !== undefined) {
    // An array must hold an item matching `contains`: a wider `contains` schema accepts more arrays.
    context.diffNode(containsBefore, containsAfter, within(location, "contains"));
  }
}
