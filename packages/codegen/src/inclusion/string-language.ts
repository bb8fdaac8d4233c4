/**
 * Sets of strings as finite automata, for the questions the inclusion engine asks about
 * `pattern`, `patternProperties` and `propertyNames`: is one language inside another, do two
 * meet, and which string shows that they do. Built on `refa` (regex → NFA/DFA with JavaScript
 * RegExp semantics) rather than hand-written automata: it handles Unicode classes and removes
 * the `^`/`$` assertions JSON Schema patterns are full of.
 *
 * A JSON Schema `pattern` is not anchored: `"^b"` accepts every string that starts with `b`, so
 * the pattern `p` denotes the language of `^[\s\S]*(?:p)[\s\S]*$`. A pattern the library cannot
 * turn into an automaton (backreferences, lookarounds it cannot remove) yields `undefined`, and
 * callers answer "undecidable".
 *
 * `refa` is loaded on first use (a synchronous `require`: it is CommonJS): catalogs without
 * string constraints to compare never pay its start-up, a tenth of a second of `strata check`.
 */
import { createRequire } from "node:module";
import type * as Refa from "refa";

/** A set of strings, as a deterministic automaton over Unicode code points. */
export type StringLanguage = Refa.DFA;

let loaded: typeof Refa | undefined;
function refa(): typeof Refa {
  loaded ??= createRequire(import.meta.url)("refa") as typeof Refa;
  return loaded;
}

const MAX_CHARACTER = 0x10ffff;
const MAX_NODES = 20_000;
const cache = new Map<string, StringLanguage | undefined>();

function fromSource(source: string): StringLanguage | undefined {
  const cached = cache.get(source);
  if (cached !== undefined || cache.has(source)) return cached;
  let language: StringLanguage | undefined;
  try {
    const { DFA, JS, NFA, Transformers, transform } = refa();
    const { expression } = JS.Parser.fromLiteral({ source, flags: "u" }).parse({ backreferences: "throw", assertions: "parse" });
    const simplified = transform(Transformers.simplify({ ignoreAmbiguity: true, ignoreOrder: true }), expression);
    // The source is anchored at both ends (`^…$`): what is left at the edges is those anchors.
    const bare = transform(Transformers.patternEdgeAssertions({ remove: true }), simplified);
    const nfa = NFA.fromRegex(bare, { maxCharacter: MAX_CHARACTER }, { assertions: "throw" });
    language = DFA.fromFA(nfa, new DFA.LimitedNodeFactory(MAX_NODES));
    language.minimize();
  } catch {
    language = undefined;
  }
  cache.set(source, language);
  return language;
}

/** The strings a JSON Schema `pattern` accepts (unanchored), or `undefined` when not regular enough. */
export function patternLanguage(pattern: string): StringLanguage | undefined {
  try {
    new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
  return fromSource(`^[\\s\\S]*(?:${pattern})[\\s\\S]*$`);
}

/** Every string. */
export function allStrings(): StringLanguage {
  return refa().DFA.all({ maxCharacter: MAX_CHARACTER });
}

/** Exactly the given strings. */
export function finiteLanguage(words: readonly string[]): StringLanguage {
  return refa().DFA.fromWords(
    words.map((word) => [...word].map((ch) => ch.codePointAt(0) ?? 0)),
    { maxCharacter: MAX_CHARACTER },
  );
}

/** Strings of `min` to `max` code points (`max` undefined: no upper bound). */
export function lengthLanguage(min: number, max: number | undefined): StringLanguage | undefined {
  if (min > 1000 || (max !== undefined && max > 1000)) return undefined;
  return fromSource(`^[\\s\\S]{${min},${max ?? ""}}$`);
}

/** `a ∩ b`. */
export function intersect(a: StringLanguage, b: StringLanguage): StringLanguage {
  const { DFA } = refa();
  const out = DFA.fromIntersection(a, b, new DFA.LimitedNodeFactory(MAX_NODES));
  out.minimize();
  return out;
}

/** The strings not in `a`. */
export function complement(a: StringLanguage): StringLanguage {
  const out = a.copy();
  out.complement();
  return out;
}

/** Characters a readable sample prefers, in order. */
const READABLE = [..."abcxyz0123456789ABCXYZ_-. @:/"].map((ch) => ch.codePointAt(0) ?? 0);

/** A readable member of a character set: a letter or digit when it has one (never U+0000 when avoidable). */
function readableChar(ranges: readonly { readonly min: number; readonly max: number }[]): number | undefined {
  const inside = (code: number): boolean => ranges.some((range) => range.min <= code && code <= range.max);
  const preferred = READABLE.find(inside);
  if (preferred !== undefined) return preferred;
  const printable = ranges.find((range) => range.max >= 0x20);
  return printable === undefined ? ranges[0]?.min : Math.max(printable.min, 0x20);
}

const samples = new WeakMap<StringLanguage, string | undefined>();

/** The shortest string of `a` (one of them, readable when possible), or `undefined` when `a` is empty. */
export function sampleString(a: StringLanguage): string | undefined {
  if (samples.has(a)) return samples.get(a);
  const sample = findSample(a);
  samples.set(a, sample);
  return sample;
}

function findSample(a: StringLanguage): string | undefined {
  for (const wordSet of a.wordSets()) {
    const codes = wordSet.map((set) => readableChar(set.ranges));
    if (codes.every((code): code is number => code !== undefined)) return String.fromCodePoint(...codes);
  }
  return undefined;
}

/** A string in `a` and not in `b`, or `undefined` when `a ⊆ b`. */
export function stringOutside(a: StringLanguage, b: StringLanguage): string | undefined {
  return sampleString(intersect(a, complement(b)));
}

/** True when `a` is empty. */
export function isEmptyLanguage(a: StringLanguage): boolean {
  return a.isEmpty;
}

/** True when `word` is in `a`. */
export function containsString(a: StringLanguage, word: string): boolean {
  return a.test([...word].map((ch) => ch.codePointAt(0) ?? 0));
}
