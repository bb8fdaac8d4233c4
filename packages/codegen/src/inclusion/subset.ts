/**
 * The inclusion engine: `subset(a, b)` answers "does every instance `a` accepts satisfy `b`?".
 * Both schemas are split into pieces (normal-form.ts); every piece of `a`, for every kind of
 * value it admits, must fit some piece of `b` — so `anyOf`/`oneOf` branches are matched by what
 * they accept, never by position — and then each keyword family decides: numbers, strings,
 * arrays, objects, listed values. Anything the engine cannot decide comes back undecided with
 * its reason; nothing is ever assumed compatible.
 */
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";
import { canonicalJson } from "../lock/content-hash.js";
import { pieceAvoids } from "./disjoint.js";
import type { Engine } from "./engine.js";
import { examplePiece, exampleOf } from "./example.js";
import type { Candidate, Inclusion } from "./inclusion.js";
import { HOLDS, all, candidate, every, fails, undecided } from "./inclusion.js";
import type { Piece } from "./normal-form.js";
import { TooComplex, compositionNodes, expand } from "./normal-form.js";
import { KIND_SCHEMA, TYPE_NAME, emptyFor, family } from "./kind-family.js";
import { numberProbes } from "./number-inclusion.js";
import { accepts } from "./oracle.js";
import type { Kind, SchemaNode } from "./schema-node.js";
import { core, finiteValues, isTrivial, kindsOf } from "./schema-node.js";
import { stringInclusionLanguage } from "./string-inclusion.js";
import { complement, finiteLanguage, intersect, sampleString } from "./string-language.js";

const MAX_CANDIDATES = 12;
/** A value of the piece, of `kind`, outside `listed` (for numbers and strings; else `undefined`). */
function unlisted(piece: Piece, kind: Kind, listed: readonly JsonValue[]): JsonValue | undefined {
  if (kind === "integer" || kind === "fraction") return numberProbes(piece.members, kind).find((value) => !listed.includes(value));
  if (kind !== "string") return undefined;
  const language = stringInclusionLanguage(piece.members);
  if (language === undefined) return undefined;
  return sampleString(intersect(language, complement(finiteLanguage(listed.filter((value): value is string => typeof value === "string")))));
}

function againstPiece(engine: Engine, a: JsonSchema, piece: Piece, other: Piece, kind: Kind, aNodes: readonly SchemaNode[]): Inclusion {
  const sample = (): Candidate | undefined => candidate(examplePiece(engine, piece, kind));
  if (!kindsOf(other.members).has(kind)) {
    return emptyFor(engine, a, piece, kind, aNodes) ? HOLDS : fails(`${TYPE_NAME[kind]} values are no longer accepted`, [sample()]);
  }
  const listed = finiteValues(other.members);
  if (listed !== undefined) {
    if (kind !== "null" && kind !== "boolean") {
      return emptyFor(engine, a, piece, kind, aNodes) ? HOLDS : fails("only listed values are accepted now", [candidate(unlisted(piece, kind, listed)), sample()]);
    }
    const lost = (kind === "null" ? [null] : [true, false]).find((value) => piece.members.every((m) => accepts(m, value)) && !other.members.every((m) => accepts(m, value)));
    if (lost !== undefined) return fails(`${JSON.stringify(lost)} is no longer accepted`, [candidate(lost)]);
  }
  const avoids = (): Inclusion =>
    every(other.forbidden.map((forbidden) => () => (pieceAvoids(engine, piece, TYPE_NAME[kind], forbidden) ? HOLDS : undecided("cannot prove that old instances avoid a `not`/`oneOf`/`if` of the new schema", [sample()].filter((c): c is Candidate => c !== undefined)))));
  return every([() => family(engine, a, piece, other, kind, aNodes), avoids]);
}

function kindFits(engine: Engine, a: JsonSchema, piece: Piece, kind: Kind, others: readonly Piece[], aNodes: readonly SchemaNode[]): Inclusion {
  const failures: Extract<Inclusion, { holds: false }>[] = [];
  for (const other of others) {
    const result = againstPiece(engine, a, piece, other, kind, aNodes);
    if (result.holds) return HOLDS;
    failures.push(result);
  }
  const candidates = failures.flatMap((failure) => failure.candidates).slice(0, MAX_CANDIDATES);
  const reason = failures.length === 1 ? (failures[0]?.reason ?? "") : `no alternative of the new schema accepts these ${TYPE_NAME[kind]} values (${failures.map((f) => f.reason).join("; ")})`;
  return { holds: false, decided: failures.every((failure) => failure.decided), reason, candidates };
}

/** True when the piece's members all fall in one of its forbidden schemas (an empty `oneOf` branch, `x ∧ ¬x`). */
function forbidsItself(engine: Engine, piece: Piece): boolean {
  if (piece.forbidden.length === 0 || piece.members.some((m) => "unevaluatedProperties" in m || "unevaluatedItems" in m)) return false;
  const members: JsonSchema = { allOf: [...piece.members] };
  return piece.forbidden.some((forbidden) => engine.subset(members, forbidden).holds);
}

function pieceFits(engine: Engine, a: JsonSchema, b: JsonSchema, piece: Piece, others: readonly Piece[], aNodes: readonly SchemaNode[]): Inclusion {
  if (forbidsItself(engine, piece)) return HOLDS;
  const listed = finiteValues(piece.members);
  if (listed !== undefined) {
    const lost = listed.find((value) => accepts(a, value) && !accepts(b, value));
    return lost === undefined ? HOLDS : fails(`value ${JSON.stringify(lost)} is no longer accepted`, [candidate(lost)]);
  }
  const kinds = [...kindsOf(piece.members)].filter((kind) => !piece.forbidden.some((forbidden) => engine.subset(KIND_SCHEMA[kind], forbidden).holds));
  return all(kinds.map((kind) => () => kindFits(engine, a, piece, kind, others, aNodes)));
}

const canonical = new WeakMap<object, string>();

/** The canonical JSON of a schema object, computed once per object. */
function canonicalOf(schema: object): string {
  let text = canonical.get(schema);
  if (text === undefined) {
    text = canonicalJson(core(schema as JsonSchema));
    canonical.set(schema, text);
  }
  return text;
}

function subsetOf(engine: Engine, a: JsonSchema, b: JsonSchema): Inclusion {
  const left = core(a);
  const right = core(b);
  if (left === false || isTrivial(right)) return HOLDS;
  if (typeof a === "object" && typeof b === "object" && canonicalOf(a) === canonicalOf(b)) return HOLDS;
  try {
    const pieces = expand(a);
    const others = expand(b);
    const aNodes = compositionNodes(a);
    if (others.length === 0) {
      const empty = pieces.every((piece) => {
        if (forbidsItself(engine, piece)) return true;
        const listed = finiteValues(piece.members);
        if (listed !== undefined) return listed.every((value) => !accepts(a, value));
        return [...kindsOf(piece.members)].every((kind) => emptyFor(engine, a, piece, kind, aNodes));
      });
      return empty ? HOLDS : fails("nothing is valid any more", [candidate(engine.example(a))]);
    }
    return all(pieces.map((piece) => () => pieceFits(engine, a, b, piece, others, aNodes)));
  } catch (error) {
    if (error instanceof TooComplex) return undecided(`too many alternatives to compare (${error.message})`);
    throw error;
  }
}

// Answers depend only on the two schemas: one memo for every engine, keyed by object identity
// (catalog schemas are frozen), so transitive pairs and shared definitions are compared once.
const memo = new WeakMap<object, WeakMap<object, Inclusion>>();
const TRUE_KEY = {};
const FALSE_KEY = {};

/** An engine: the recursion handles over the shared memo. */
export function createEngine(): Engine {
  let depth = 0;
  const engine: Engine = {
    subset: (a, b) => {
      const cacheable = typeof a === "object";
      const key = typeof b === "object" ? b : b ? TRUE_KEY : FALSE_KEY;
      const known = cacheable ? memo.get(a)?.get(key) : undefined;
      if (known !== undefined) return known;
      if (depth > 200) return undecided("schemas nested too deeply to compare");
      depth += 1;
      let result: Inclusion;
      try {
        result = subsetOf(engine, a, b);
      } finally {
        depth -= 1;
      }
      if (cacheable) {
        const inner = memo.get(a) ?? new WeakMap<object, Inclusion>();
        inner.set(key, result);
        memo.set(a, inner);
      }
      return result;
    },
    example: (schema, kind) => (depth > 200 ? undefined : exampleOf(engine, schema, kind)),
  };
  return engine;
}
