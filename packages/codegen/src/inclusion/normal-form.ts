/**
 * A schema as a disjunction of conjunctions ("pieces"), so that each piece can be compared
 * keyword family by keyword family. `allOf` branches join the piece they sit in; `anyOf`,
 * `oneOf` and `if`/`then`/`else` split it: `if/then/else` is `(if ∧ then) ∨ (¬if ∧ else)`, a
 * `oneOf` branch is that branch with the other branches forbidden. `not` adds a forbidden schema.
 * The expansion stops at {@link MAX_PIECES}: beyond it the engine answers "undecidable".
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import type { SchemaNode } from "./schema-node.js";
import { core, isNode, schemaAt } from "./schema-node.js";

/** One conjunction: every member must hold, no forbidden schema may. */
export interface Piece {
  readonly members: readonly SchemaNode[];
  readonly forbidden: readonly JsonSchema[];
}

/** More pieces than this and the schema is "too complex to compare". */
export const MAX_PIECES = 64;

/** Thrown when an expansion passes {@link MAX_PIECES}. */
export class TooComplex extends Error {}

function product(left: readonly Piece[], right: readonly Piece[]): Piece[] {
  if (left.length * right.length > MAX_PIECES) throw new TooComplex("more than 64 alternatives");
  return left.flatMap((a) => right.map((b) => ({ members: [...a.members, ...b.members], forbidden: [...a.forbidden, ...b.forbidden] })));
}

const cache = new WeakMap<object, Piece[]>();
const APPLICATORS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "not", "if", "then", "else"]);

/** The pieces of `schema`; `[]` means it accepts nothing. */
export function expand(schema: JsonSchema): Piece[] {
  if (typeof schema === "object") {
    const cached = cache.get(schema);
    if (cached !== undefined) return cached;
  }
  const node = core(schema);
  if (node === false) return [];
  // Members are flat: the applicators are accounted for by the pieces themselves.
  const flat = Object.fromEntries(Object.entries(node).filter(([keyword]) => !APPLICATORS.has(keyword)));
  // `not: { not: x }` is `x`.
  const negated = "not" in node ? core(schemaAt(node["not"])) : undefined;
  const doubled = negated !== undefined && negated !== false && Object.keys(negated).length === 1 && "not" in negated;
  let pieces: Piece[] = [{ members: [flat], forbidden: "not" in node && !doubled ? [schemaAt(node["not"])] : [] }];
  if (doubled) pieces = product(pieces, expand(schemaAt(negated["not"])));
  const list = (keyword: string): JsonSchema[] => (Array.isArray(node[keyword]) ? (node[keyword] as JsonValue[]).map((value) => schemaAt(value)) : []);
  for (const branch of list("allOf")) pieces = product(pieces, expand(branch));
  if ("anyOf" in node) pieces = product(pieces, list("anyOf").flatMap(expand));
  if ("oneOf" in node) {
    const branches = list("oneOf");
    const alternatives = branches.flatMap((branch, index) =>
      expand(branch).map((piece) => ({ members: piece.members, forbidden: [...piece.forbidden, ...branches.filter((_, other) => other !== index)] })),
    );
    pieces = product(pieces, alternatives);
  }
  if ("if" in node) {
    const condition = schemaAt(node["if"]);
    const onTrue = product(expand(condition), expand(schemaAt(node["then"])));
    const onFalse = expand(schemaAt(node["else"])).map((piece) => ({ members: piece.members, forbidden: [...piece.forbidden, condition] }));
    pieces = product(pieces, [...onTrue, ...onFalse]);
  }
  if (typeof schema === "object") cache.set(schema, pieces);
  return pieces;
}

/**
 * Every node of the composition rooted at `schema` (branches, `if`, `then`, `else`,
 * `dependentSchemas` entries): the nodes whose property and item annotations may count as
 * evaluated for an `unevaluated*` keyword. Used on the old side, where counting too many keeps
 * the comparison sound (it only lets the old schema accept more).
 */
export function compositionNodes(schema: JsonSchema): SchemaNode[] {
  const found: SchemaNode[] = [];
  const visit = (value: JsonValue | JsonSchema | undefined): void => {
    const node = core(value);
    if (node === false || !isNode(value)) return;
    found.push(node);
    for (const keyword of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(node[keyword])) (node[keyword] as JsonValue[]).forEach(visit);
    for (const keyword of ["if", "then", "else"]) visit(node[keyword]);
    const dependent = node["dependentSchemas"];
    if (isNode(dependent)) Object.values(dependent).forEach(visit);
  };
  visit(schema);
  return found;
}
