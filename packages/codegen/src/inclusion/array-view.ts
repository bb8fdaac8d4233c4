/**
 * The array keywords of one piece: the schema of each position (`prefixItems`, then `items`,
 * then a closing `unevaluatedItems`), the length range, `uniqueItems` and the `contains`
 * requirements.
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { allOf } from "./engine.js";
import type { SchemaNode } from "./schema-node.js";
import { numbersOf, schemaAt } from "./schema-node.js";

/** A `contains` requirement: between `min` and `max` items match `schema`. */
export interface ContainsRule {
  readonly schema: JsonSchema;
  readonly min: number;
  readonly max: number;
}

/** One piece's array keywords. */
export interface ArrayView {
  readonly members: readonly SchemaNode[];
  /** Positions the evaluating nodes describe by `prefixItems` or `items`; `Infinity` with `items`. */
  readonly evaluated: number;
  readonly minItems: number;
  readonly maxItems: number;
  readonly unique: boolean;
  readonly contains: readonly ContainsRule[];
  /** The longest `prefixItems` of the members. */
  readonly prefixLength: number;
}

function prefixOf(node: SchemaNode): readonly JsonValue[] {
  const prefix = node["prefixItems"];
  return Array.isArray(prefix) ? prefix : [];
}

/** The schema at `index` in member `node` alone (`undefined` when the member says nothing there). */
function ownAt(node: SchemaNode, index: number): JsonSchema | undefined {
  const prefix = prefixOf(node);
  if (index < prefix.length) return schemaAt(prefix[index]);
  return "items" in node ? schemaAt(node["items"]) : undefined;
}

/** The view of `members`; `evaluators` decide which positions `unevaluatedItems` leaves alone. */
export function arrayView(members: readonly SchemaNode[], evaluators: readonly SchemaNode[]): ArrayView {
  // Items matched by `contains` count as evaluated too; which ones depends on the instance, so
  // with `contains` around, `unevaluatedItems` is ignored (callers on the new side refuse this case).
  const withContains = evaluators.some((node) => "contains" in node);
  const evaluated = withContains ? Infinity : Math.max(0, ...evaluators.map((node) => ("items" in node ? Infinity : prefixOf(node).length)));
  const contains = members
    .filter((member) => "contains" in member)
    .map((member) => ({ schema: schemaAt(member["contains"]), min: numbersOf([member], "minContains")[0] ?? 1, max: numbersOf([member], "maxContains")[0] ?? Infinity }));
  return {
    members,
    evaluated,
    minItems: Math.max(0, ...numbersOf(members, "minItems")),
    maxItems: Math.min(Infinity, ...numbersOf(members, "maxItems")),
    unique: members.some((member) => member["uniqueItems"] === true),
    contains,
    prefixLength: Math.max(0, ...members.map((member) => prefixOf(member).length)),
  };
}

/** The schema the item at `index` must satisfy. */
export function itemSchema(view: ArrayView, index: number): JsonSchema {
  const parts: JsonSchema[] = [];
  for (const member of view.members) {
    const own = ownAt(member, index);
    if (own !== undefined) parts.push(own);
    else if ("unevaluatedItems" in member && index >= view.evaluated) parts.push(schemaAt(member["unevaluatedItems"]));
  }
  return allOf(parts);
}

/** The longest array the view allows: no item can follow a position no value satisfies. */
export function maxLength(view: ArrayView, isEmpty: (schema: JsonSchema) => boolean = (schema) => schema === false): number {
  let max = view.maxItems;
  for (let index = 0; index <= view.prefixLength && index < max; index += 1) if (isEmpty(itemSchema(view, index))) max = index;
  return max;
}
