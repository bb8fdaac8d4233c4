/**
 * The members of an object composition and the subschemas two of them may both describe — what
 * close-content-models.ts must leave as written. A *member* is the schema at a data location or
 * one of its in-place subschemas (`allOf`/`anyOf`/`oneOf` branches, `then`, `else`,
 * `dependentSchemas` entries); a *slot* is a subschema of a member that describes data below it
 * (a property, a pattern, additional/unevaluated properties, items, a tuple position).
 */
import { isRecord, type SchemaRecord } from "./schema-walk.js";

/** One member of a composition and the alternatives it sits in (`choice id → branch index`). */
export interface Member {
  readonly node: SchemaRecord;
  readonly choices: ReadonlyMap<number, number>;
}

/** A subschema of a member that describes data below the composition (a property, the items, ...). */
export interface Slot {
  readonly member: number;
  readonly keyword: string;
  /** Property name, pattern or prefix index; `""` for single-schema keywords. */
  readonly name: string;
}

/** A slot as a string, for sets. */
export const slotKey = (slot: Slot): string => `${slot.member}\u0000${slot.keyword}\u0000${slot.name}`;

/** The members of the composition rooted at `root`, `root` first. */
export function members(root: SchemaRecord): Member[] {
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

/** The keys ({@link slotKey}) of the slots that another co-applying slot may also describe. */
export function sharedSlots(group: readonly Member[]): Set<string> {
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
