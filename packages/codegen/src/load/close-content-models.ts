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
import { isRecord, type SchemaRecord } from "./schema-walk.js";

/** Called for every schema object that was copied, with the object it was copied from. */
export type OnCopy = (from: object, to: object) => void;

const NON_VALIDATION: ReadonlySet<string> = new Set<string>([...ANNOTATION_KEYWORDS, ...VENDOR_KEYWORDS]);
const PROPERTY_ANNOTATING = ["properties", "patternProperties", "additionalProperties", "unevaluatedProperties"] as const;

/** One member of a composition and the alternatives it sits in (`choice id → branch index`). */
interface Member {
  readonly node: SchemaRecord;
  readonly choices: ReadonlyMap<number, number>;
}

/** A subschema of a member that describes data below the composition (a property, the items, ...). */
interface Slot {
  readonly member: number;
  readonly keyword: string;
  /** Property name, pattern or prefix index; `""` for single-schema keywords. */
  readonly name: string;
}

const slotKey = (slot: Slot): string => `${slot.member}\u0000${slot.keyword}\u0000${slot.name}`;

function members(root: SchemaRecord): Member[] {
  const found: Member[] = [];
  let nextChoice = 0;
  const visit = (node: unknown, choices: ReadonlyMap<number, number>): void => {
    if (!isRecord(node)) return;
    found.push({ node, choices });
    const allOf = node["allOf"];
    if (Array.isArray(allOf)) for (const branch of allOf) visit(branch, choices);
    for (const keyword of ["anyOf", "oneOf"]) {
      const branches = node[keyword];
      if (!Array.isArray(branches)) continue;
      const choice = nextChoice++;
      branches.forEach((branch: unknown, index) => visit(branch, new Map(choices).set(choice, index)));
    }
    const condition = nextChoice++;
    ["then", "else"].forEach((keyword, index) => visit(node[keyword], new Map(choices).set(condition, index)));
    const dependent = node["dependentSchemas"];
    if (isRecord(dependent)) for (const branch of Object.values(dependent)) visit(branch, choices);
  };
  visit(root, new Map());
  return found;
}

/** False when the two members sit in different branches of one `anyOf`/`oneOf`, or in `then` and `else`. */
function canApplyTogether(a: Member, b: Member): boolean {
  for (const [choice, branch] of a.choices) if (b.choices.has(choice) && b.choices.get(choice) !== branch) return false;
  return true;
}

function objectSlots(member: number, node: SchemaRecord): Slot[] {
  const slots: Slot[] = [];
  for (const keyword of ["properties", "patternProperties"]) {
    const value = node[keyword];
    if (isRecord(value)) for (const name of Object.keys(value)) if (isRecord(value[name])) slots.push({ member, keyword, name });
  }
  for (const keyword of ["additionalProperties", "unevaluatedProperties"]) if (isRecord(node[keyword])) slots.push({ member, keyword, name: "" });
  return slots;
}

function itemSlots(member: number, node: SchemaRecord): Slot[] {
  const slots = ["items", "unevaluatedItems"].filter((keyword) => isRecord(node[keyword])).map((keyword) => ({ member, keyword, name: "" }));
  const prefix = node["prefixItems"];
  if (Array.isArray(prefix)) prefix.forEach((item: unknown, index) => isRecord(item) && slots.push({ member, keyword: "prefixItems", name: String(index) }));
  return slots;
}

function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, "u").test(name);
  } catch {
    return true; // an invalid pattern is reported by the meta-schema check; stay conservative
  }
}

/**
 * Whether two object slots of different members may describe the same property: two names only
 * when equal, a name and a pattern only when the pattern matches; anything else (patterns with
 * each other, additional/unevaluated schemas) cannot be told apart cheaply and counts as overlap.
 */
function mayOverlap(x: Slot, y: Slot): boolean {
  if (x.keyword === "properties" && y.keyword === "properties") return x.name === y.name;
  if (x.keyword === "properties" && y.keyword === "patternProperties") return matches(y.name, x.name);
  if (x.keyword === "patternProperties" && y.keyword === "properties") return matches(x.name, y.name);
  return true;
}

/** The slots that another slot may also describe (see the module comment); they stay as written. */
function sharedSlots(group: readonly Member[]): Set<string> {
  const shared = new Set<string>();
  const share = (x: Slot, y: Slot): void => {
    shared.add(slotKey(x));
    shared.add(slotKey(y));
  };
  const objects = group.map((m, i) => objectSlots(i, m.node));
  const items = group.map((m, i) => itemSlots(i, m.node));
  group.forEach((a, i) => {
    const own = objects[i] ?? [];
    // Within one member only a property and a pattern of it can meet (additionalProperties and
    // unevaluatedProperties apply to the other names).
    for (const x of own) for (const y of own) if (x.keyword === "properties" && y.keyword === "patternProperties" && matches(y.name, x.name)) share(x, y);
    group.forEach((b, j) => {
      // A node reached twice (`allOf: [x, x]`) meets itself.
      const same = a.node === b.node;
      if (j <= i || (!same && !canApplyTogether(a, b))) return;
      for (const x of own) for (const y of objects[j] ?? []) if (same || mayOverlap(x, y)) share(x, y);
      for (const x of items[i] ?? []) for (const y of items[j] ?? []) share(x, y);
    });
  });
  return shared;
}

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
