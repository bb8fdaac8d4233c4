/**
 * Strings: `pattern`, `minLength`/`maxLength` and `format`. Patterns and lengths become one
 * finite automaton per side (string-language.ts), so `A ⊆ B` is an exact language inclusion
 * and a failure comes with the shortest string that shows it. `format` is compared by name: B's
 * formats must all be asserted by A too (a format is a fixed language, and no two of the
 * supported ones nest).
 */
import type { Inclusion } from "./inclusion.js";
import { HOLDS, candidate, fails, undecided } from "./inclusion.js";
import type { SchemaNode } from "./schema-node.js";
import { numbersOf, valuesOf } from "./schema-node.js";
import type { StringLanguage } from "./string-language.js";
import { allStrings, intersect, lengthLanguage, patternLanguage, sampleString, stringOutside } from "./string-language.js";

/** A valid sample of every format Strata asserts. */
export const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  uuid: "00000000-0000-4000-8000-000000000000",
  email: "a@example.com",
  "date-time": "2020-01-01T00:00:00Z",
  date: "2020-01-01",
  time: "00:00:00Z",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  uri: "https://example.com/",
  duration: "P1D",
};

function formatsOf(members: readonly SchemaNode[]): Set<string> {
  return new Set(valuesOf(members, "format").filter((value): value is string => typeof value === "string"));
}

const languages = new Map<string, StringLanguage | undefined>();

/** The strings `members` allow by pattern and length (formats aside), or `undefined` when not regular. */
export function stringInclusionLanguage(members: readonly SchemaNode[]): StringLanguage | undefined {
  const key = JSON.stringify([valuesOf(members, "pattern"), numbersOf(members, "minLength"), numbersOf(members, "maxLength")]);
  if (languages.has(key)) return languages.get(key);
  const language = buildLanguage(members);
  languages.set(key, language);
  return language;
}

function buildLanguage(members: readonly SchemaNode[]): StringLanguage | undefined {
  const patterns = valuesOf(members, "pattern");
  const only = patterns[0];
  if (patterns.length === 1 && typeof only === "string" && numbersOf(members, "minLength").length + numbersOf(members, "maxLength").length === 0) return patternLanguage(only);
  let language = allStrings();
  for (const pattern of valuesOf(members, "pattern")) {
    const own = typeof pattern === "string" ? patternLanguage(pattern) : undefined;
    if (own === undefined) return undefined;
    language = intersect(language, own);
  }
  const min = Math.max(0, ...numbersOf(members, "minLength"));
  const maxes = numbersOf(members, "maxLength");
  if (min > 0 || maxes.length > 0) {
    const lengths = lengthLanguage(min, maxes.length > 0 ? Math.min(...maxes) : undefined);
    if (lengths === undefined) return undefined;
    language = intersect(language, lengths);
  }
  return language;
}

/** True when `value` satisfies the pattern and length keywords of `members`. */
export function stringFits(members: readonly SchemaNode[], value: string): boolean {
  const length = [...value].length;
  return (
    numbersOf(members, "minLength").every((min) => length >= min) &&
    numbersOf(members, "maxLength").every((max) => length <= max) &&
    valuesOf(members, "pattern").every((pattern) => typeof pattern === "string" && new RegExp(pattern, "u").test(value))
  );
}

/** A string satisfying `members` (formats included), if one is easy to find. */
export function exampleString(members: readonly SchemaNode[]): string | undefined {
  const [format] = formatsOf(members);
  if (format !== undefined) {
    const sample = FORMAT_SAMPLES[format];
    return sample !== undefined && stringFits(members, sample) ? sample : undefined;
  }
  if (valuesOf(members, "pattern").length === 0) {
    const min = Math.max(0, ...numbersOf(members, "minLength"));
    return min <= Math.min(Infinity, ...numbersOf(members, "maxLength")) && min <= 10_000 ? "a".repeat(min) : undefined;
  }
  const language = stringInclusionLanguage(members);
  return language === undefined ? undefined : sampleString(language);
}

/** No pattern on either side: formats by name and lengths as intervals, no automaton. */
function withoutPatterns(a: readonly SchemaNode[], b: readonly SchemaNode[]): Inclusion | undefined {
  if (valuesOf([...a, ...b], "pattern").length > 0) return undefined;
  const range = (members: readonly SchemaNode[]): [number, number] => [Math.max(0, ...numbersOf(members, "minLength")), Math.min(Infinity, ...numbersOf(members, "maxLength"))];
  const [minA, maxA] = range(a);
  const [minB, maxB] = range(b);
  if (minA > maxA) return HOLDS;
  const formatsA = formatsOf(a);
  const missing = [...formatsOf(b)].filter((format) => !formatsA.has(format));
  if (missing.length > 0) return fails(`strings must now be a valid ${missing.join(", ")}`, [candidate(exampleString(a))]);
  if (minA >= minB && maxA <= maxB) return HOLDS;
  if (formatsA.size > 0) {
    const sample = exampleString(a);
    return sample !== undefined && !stringFits(b, sample) ? fails("strings: length tightened", [candidate(sample)]) : undefined;
  }
  const length = minA < minB ? minA : Math.max(minA, maxB + 1);
  return length > 10_000 ? undefined : fails("strings: length tightened", [candidate("a".repeat(length))]);
}

/** `A ⊆ B` for strings. */
export function stringInclusion(a: readonly SchemaNode[], b: readonly SchemaNode[]): Inclusion {
  const byLength = withoutPatterns(a, b);
  if (byLength !== undefined) return byLength;
  const formatsA = formatsOf(a);
  const missing = [...formatsOf(b)].filter((format) => !formatsA.has(format));
  const languageA = stringInclusionLanguage(a);
  const languageB = stringInclusionLanguage(b);
  if (languageA === undefined || languageB === undefined) {
    return undecided("a pattern is not a regular expression the engine can analyse (backreference or lookaround)");
  }
  if (missing.length > 0) {
    const sample = formatsA.size > 0 ? exampleString(a) : sampleString(languageA);
    return fails(`strings must now be a valid ${missing.join(", ")}`, [candidate(sample)]);
  }
  if (formatsA.size > 0) {
    // A's strings are its formats' strings: try the format's sample against B's language.
    const sample = exampleString(a);
    const outside = sample !== undefined && !stringFits(b, sample);
    if (stringOutside(languageA, languageB) === undefined) return HOLDS;
    return outside ? fails("strings: pattern or length tightened", [candidate(sample)]) : undecided(`strings: pattern or length tightened on a ${[...formatsA].join(", ")} string`);
  }
  const outside = stringOutside(languageA, languageB);
  return outside === undefined ? HOLDS : fails("strings: pattern or length tightened", [candidate(outside)]);
}
