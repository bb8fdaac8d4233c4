/**
 * The catalog's content-model rule: in Strata catalogs an event object is closed unless its
 * schema opens it. Applied to the resolved schema, so the types, the zod validators, the diff
 * engine and any JSON Schema validator all read the same explicit schema
 * (docs/schema-reference.md, "Undeclared properties").
 *
 * An object schema is one *composition*: the schema at one data location plus its in-place
 * subschemas (`allOf`/`anyOf`/`oneOf` branches, `then`, `else`, `dependentSchemas` entries; an
 * inlined `$ref` with siblings is an `allOf`). When some member declares `properties` and the
 * schema itself says nothing about other names (no `additionalProperties`, `patternProperties`
 * or `unevaluatedProperties`), it is closed:
 * - with `additionalProperties: false` when no other member evaluates properties, which is the
 *   plain case and reads the same in every tool;
 * - otherwise with `unevaluatedProperties: false` at the top, leaving the members open: closing
 *   each `allOf` branch by itself would forbid the names the other branches declare.
 * `additionalProperties: true` or a schema, `patternProperties` or `unevaluatedProperties` keep
 * the schema as written. A schema that is only annotations around one `allOf` branch (a `$ref`
 * with a `description`) is transparent: the rule applies to the branch.
 *
 * Every property, item and additional-property schema is a composition of its own, closed by the
 * same rule, except where two members that can apply together both describe the same data (the
 * same property name in the object and an `allOf` branch, `items` in two branches, a property and
 * a matching `patternProperties`): closing both separately could make valid data impossible, so
 * those subschemas stay as written. Conditions (`if`, `not`, `contains`, `propertyNames`) are
 * never touched: closing an object inside one would change what it tests.
 */
import { ANNOTATION_KEYWORDS, VENDOR_KEYWORDS } from "../model/supported-keywords.js";
import { members, sharedSlots, slotKey } from "./composition-slots.js";
import { isRecord, type SchemaRecord } from "./schema-walk.js";

/** Called for every schema object that was copied, with the object it was copied from. */
export type OnCopy = (from: object, to: object) => void;

const NON_VALIDATION: ReadonlySet<string> = new Set<string>([...ANNOTATION_KEYWORDS, ...VENDOR_KEYWORDS]);
const PROPERTY_ANNOTATING = ["properties", "patternProperties", "additionalProperties", "unevaluatedProperties"] as const;

/** A schema that is only annotations around a single `allOf` branch, e.g. an inlined `$ref` with a description. */
function isTransparentWrapper(node: SchemaRecord): boolean {
  const allOf = node["allOf"];
  return Array.isArray(allOf) && allOf.length === 1 && Object.keys(node).every((keyword) => keyword === "allOf" || NON_VALIDATION.has(keyword) || keyword.startsWith("x-"));
}

function closeComposition(root: unknown, onCopy: OnCopy): unknown {
  if (!isRecord(root)) return root;
  if (isTransparentWrapper(root)) {
    const out = { ...root, allOf: (root["allOf"] as unknown[]).map((branch) => closeComposition(branch, onCopy)) };
    onCopy(root, out);
    return out;
  }
  const group = members(root);
  const shared = sharedSlots(group);
  const index = new Map(group.map((m, i) => [m.node, i]));
  const child = (member: number, keyword: string, name: string, value: unknown): unknown =>
    shared.has(slotKey({ member, keyword, name })) ? value : closeComposition(value, onCopy);

  const rebuild = (node: SchemaRecord): Record<string, unknown> => {
    const member = index.get(node) ?? -1;
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node)) {
      if ((keyword === "allOf" || keyword === "anyOf" || keyword === "oneOf") && Array.isArray(value)) {
        out[keyword] = value.map((branch: unknown) => (isRecord(branch) ? rebuild(branch) : branch));
      } else if ((keyword === "then" || keyword === "else") && isRecord(value)) {
        out[keyword] = rebuild(value);
      } else if (keyword === "dependentSchemas" && isRecord(value)) {
        out[keyword] = Object.fromEntries(Object.entries(value).map(([name, branch]) => [name, isRecord(branch) ? rebuild(branch) : branch]));
      } else if ((keyword === "properties" || keyword === "patternProperties") && isRecord(value)) {
        out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, child(member, keyword, name, sub)]));
      } else if (keyword === "prefixItems" && Array.isArray(value)) {
        out[keyword] = value.map((sub: unknown, i) => child(member, keyword, String(i), sub));
      } else if (["additionalProperties", "unevaluatedProperties", "items", "unevaluatedItems"].includes(keyword)) {
        out[keyword] = child(member, keyword, "", value);
      } else {
        out[keyword] = value; // annotations, assertions and conditions (if, not, contains, propertyNames)
      }
    }
    onCopy(node, out);
    return out;
  };

  const out = rebuild(root);
  const declares = group.some((m) => isRecord(m.node["properties"]));
  const opened = ["additionalProperties", "patternProperties", "unevaluatedProperties"].some((keyword) => keyword in root);
  if (declares && !opened) {
    const composed = group.slice(1).some((m) => PROPERTY_ANNOTATING.some((keyword) => keyword in m.node));
    out[composed ? "unevaluatedProperties" : "additionalProperties"] = false;
  }
  return out;
}

/**
 * `schema` (a resolved event schema) with the catalog's content-model rule applied at every
 * data location. Never mutates its input: changed objects are copies, reported to `onCopy` so
 * callers can carry per-object data (source locations) over.
 *
 * @example
 * closeContentModels({ type: "object", properties: { a: { type: "string" } } });
 * // → { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }
 * closeContentModels({ allOf: [{ properties: { a: {} } }], properties: { b: {} } });
 * // → { allOf: [{ properties: { a: {} } }], properties: { b: {} }, unevaluatedProperties: false }
 */
export function closeContentModels(schema: unknown, onCopy: OnCopy = () => {}): unknown {
  return closeComposition(schema, onCopy);
}
