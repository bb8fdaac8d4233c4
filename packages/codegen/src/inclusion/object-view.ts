/**
 * The object keywords of one piece, read as one content model: for any property name, the
 * schema its value must satisfy. A member constrains a name by `properties[name]`, else by the
 * matching `patternProperties`, else by its `additionalProperties`; a name no *evaluating* node
 * declares, matches or covers falls to `unevaluatedProperties`; a name `propertyNames` rejects
 * cannot appear at all. The evaluating nodes are the piece's members on the new side, and every
 * node of the composition on the old side (see normal-form.ts, `compositionNodes`).
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { allOf } from "./engine.js";
import { accepts } from "./oracle.js";
import type { SchemaNode } from "./schema-node.js";
import { isNode, numbersOf, schemaAt } from "./schema-node.js";

/** An `unevaluatedProperties` schema and the nodes that evaluate names for it. */
export interface UnevaluatedRule {
  readonly schema: JsonSchema;
  readonly evaluators: readonly SchemaNode[];
}

/** One piece's object keywords. */
export interface ObjectView {
  readonly members: readonly SchemaNode[];
  readonly evaluators: readonly SchemaNode[];
  /** Each `unevaluatedProperties` of a member, with the nodes whose annotations it sees. */
  readonly unevaluated: readonly UnevaluatedRule[];
  readonly required: ReadonlySet<string>;
  readonly minProperties: number;
  readonly maxProperties: number;
  readonly propertyNames: readonly JsonSchema[];
  readonly dependentRequired: ReadonlyMap<string, ReadonlySet<string>>;
  readonly dependentSchemas: readonly (readonly [string, JsonSchema])[];
}

function recordOf(node: SchemaNode, keyword: string): Readonly<Record<string, JsonValue>> {
  const value = node[keyword];
  return isNode(value) ? value : {};
}

function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, "u").test(name);
  } catch {
    return false;
  }
}

function unevaluatedRules(members: readonly SchemaNode[], evaluators: readonly SchemaNode[], nested: boolean): UnevaluatedRule[] {
  return members.flatMap((member, index): UnevaluatedRule[] => {
    if (!("unevaluatedProperties" in member) || (index > 0 && !nested)) return [];
    const schema = schemaAt(member["unevaluatedProperties"]);
    // A nested member is flat (its branches are members of their own): counting only its own
    // names makes it stricter than it is, which is the safe side for the new schema.
    return [{ schema, evaluators: index === 0 ? evaluators : [member] }];
  });
}

/** `names` plus every name `dependentRequired` makes required through them. */
function closure(names: Set<string>, dependentRequired: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const needed of dependentRequired.get(name) ?? []) {
      if (names.has(needed)) continue;
      pending.push(needed);
      names.add(needed);
    }
  }
  return names;
}

/**
 * The object view of `members`. The first member's `unevaluatedProperties` sees `evaluators`.
 * A nested member's is kept when `nested` (the new side, where being stricter is safe) and
 * dropped otherwise (the old side, where being looser is).
 */
export function objectView(members: readonly SchemaNode[], evaluators: readonly SchemaNode[], nested = true): ObjectView {
  const dependentRequired = new Map<string, Set<string>>();
  for (const member of members) {
    for (const [name, list] of Object.entries(recordOf(member, "dependentRequired"))) {
      const set = dependentRequired.get(name) ?? new Set<string>();
      if (Array.isArray(list)) for (const item of list) if (typeof item === "string") set.add(item);
      dependentRequired.set(name, set);
    }
  }
  return {
    members,
    evaluators,
    unevaluated: unevaluatedRules(members, evaluators, nested),
    required: closure(new Set(members.flatMap((member) => (Array.isArray(member["required"]) ? member["required"].filter((n): n is string => typeof n === "string") : []))), dependentRequired),
    minProperties: Math.max(0, ...numbersOf(members, "minProperties")),
    maxProperties: Math.min(Infinity, ...numbersOf(members, "maxProperties")),
    propertyNames: members.filter((member) => "propertyNames" in member).map((member) => schemaAt(member["propertyNames"])),
    dependentRequired,
    dependentSchemas: members.flatMap((member) => Object.entries(recordOf(member, "dependentSchemas")).map(([name, schema]) => [name, schemaAt(schema)] as const)),
  };
}

/** Names declared by `properties` in any member or evaluator. */
export function declaredNames(view: ObjectView): Set<string> {
  const nodes = [...view.members, ...view.evaluators, ...view.unevaluated.flatMap((rule) => rule.evaluators)];
  return new Set(nodes.flatMap((node) => Object.keys(recordOf(node, "properties"))));
}

/** Every `patternProperties` pattern of the view's nodes. */
export function patternsOf(view: ObjectView): string[] {
  const nodes = [...view.members, ...view.evaluators, ...view.unevaluated.flatMap((rule) => rule.evaluators)];
  return [...new Set(nodes.flatMap((node) => Object.keys(recordOf(node, "patternProperties"))))];
}

function evaluates(node: SchemaNode, name: string): boolean {
  return name in recordOf(node, "properties") || "additionalProperties" in node || Object.keys(recordOf(node, "patternProperties")).some((p) => matches(p, name));
}

/** The schema the value of property `name` must satisfy (`false`: the name cannot appear). */
export function propertySchema(view: ObjectView, name: string): JsonSchema {
  if (view.propertyNames.some((schema) => !accepts(schema, name))) return false;
  const parts: JsonSchema[] = [];
  for (const member of view.members) {
    const properties = recordOf(member, "properties");
    const patterns = Object.entries(recordOf(member, "patternProperties")).filter(([pattern]) => matches(pattern, name));
    if (name in properties) parts.push(schemaAt(properties[name]));
    parts.push(...patterns.map(([, schema]) => schemaAt(schema)));
    if (!(name in properties) && patterns.length === 0 && "additionalProperties" in member) parts.push(schemaAt(member["additionalProperties"]));
  }
  for (const rule of view.unevaluated) if (!rule.evaluators.some((node) => evaluates(node, name))) parts.push(rule.schema);
  return allOf(parts);
}
