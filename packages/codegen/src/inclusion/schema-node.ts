/**
 * The inclusion engine's view of one schema node: annotations and Strata's vendor keywords
 * dropped (they never change what is valid), booleans kept as `true`/`false`, and the JSON
 * value kinds a node admits. Numbers are split into `integer` and `fraction` (a number that is
 * not an integer), because `type: "integer"` and `type: "number"` differ exactly there.
 */
import { jsonEqual } from "../diff/canonical-json.js";
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { ANNOTATION_KEYWORDS, VENDOR_KEYWORDS } from "../model/supported-keywords.js";

/** A schema object without annotations. */
export type SchemaNode = Readonly<Record<string, JsonValue>>;

/** The kinds of JSON value the engine reasons about. */
export const KINDS = ["null", "boolean", "integer", "fraction", "string", "array", "object"] as const;
/** One of {@link KINDS}. */
export type Kind = (typeof KINDS)[number];

const IGNORED: ReadonlySet<string> = new Set<string>([...ANNOTATION_KEYWORDS, ...VENDOR_KEYWORDS]);

/** True for a JSON object (not an array, not null). */
export function isNode(value: unknown): value is SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A keyword's value read as a subschema: a boolean or an object as it is, anything else (absent included) as `true`. */
export function schemaAt(value: JsonValue | undefined): JsonSchema {
  return typeof value === "boolean" || isNode(value) ? (value as JsonSchema) : true;
}

/** `schema` as a node: `true`/absent → `{}`, `false` stays, annotations removed. */
export function core(schema: JsonValue | JsonSchema | undefined): SchemaNode | false {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return false;
  if (!isNode(schema)) return {};
  const out: Record<string, JsonValue> = {};
  for (const [keyword, value] of Object.entries(schema)) if (!IGNORED.has(keyword) && !keyword.startsWith("x-")) out[keyword] = value;
  return out;
}

/** True when the node constrains nothing. */
export function isTrivial(node: SchemaNode | false): boolean {
  return node !== false && Object.keys(node).length === 0;
}

/** The kind of a JSON value. */
export function kindOf(value: JsonValue): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "fraction";
  if (typeof value === "boolean") return "boolean";
  return typeof value === "string" ? "string" : "object";
}

function declaredKinds(type: JsonValue | undefined): Set<Kind> {
  if (type === undefined) return new Set(KINDS);
  const names = Array.isArray(type) ? type : [type];
  const kinds = new Set<Kind>();
  for (const name of names) {
    if (name === "number") kinds.add("integer").add("fraction");
    else if (name === "integer") kinds.add("integer");
    else if (typeof name === "string" && (KINDS as readonly string[]).includes(name)) kinds.add(name as Kind);
  }
  return kinds;
}

/** The kinds every node of `members` admits by `type` (enum/const are handled as finite sets). */
export function kindsOf(members: readonly SchemaNode[]): Set<Kind> {
  let kinds = new Set<Kind>(KINDS);
  for (const member of members) {
    const own = declaredKinds(member["type"]);
    kinds = new Set([...kinds].filter((kind) => own.has(kind)));
  }
  return kinds;
}

/** Reads `keyword` of every member that has it. */
export function valuesOf(members: readonly SchemaNode[], keyword: string): JsonValue[] {
  return members.filter((member) => keyword in member).map((member) => member[keyword] as JsonValue);
}

/** Numeric keyword values of every member. */
export function numbersOf(members: readonly SchemaNode[], keyword: string): number[] {
  return valuesOf(members, keyword).filter((value): value is number => typeof value === "number");
}

/** The finite set of values the members allow by `enum`/`const`, or `undefined` when unrestricted. */
export function finiteValues(members: readonly SchemaNode[]): JsonValue[] | undefined {
  let values: JsonValue[] | undefined;
  for (const member of members) {
    const own = "const" in member ? [member["const"] as JsonValue] : Array.isArray(member["enum"]) ? member["enum"] : undefined;
    if (own === undefined) continue;
    values = values === undefined ? [...own] : values.filter((value) => own.some((other) => jsonEqual(other, value)));
  }
  return values;
}
