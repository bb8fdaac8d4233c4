/**
 * The property names an object check must look at. Declared names are looked at one by one;
 * every other name behaves like the others that match the same `patternProperties` patterns and
 * pass the same `propertyNames` schemas, so one representative per non-empty class of names is
 * enough (each class is an intersection of regular languages and their complements, decided
 * with automata). More than {@link MAX_SPLITTERS} patterns and the answer is "undecidable".
 */
import type { JsonSchema } from "../model/catalog-model.js";
import { core } from "./schema-node.js";
import { stringInclusionLanguage } from "./string-inclusion.js";
import type { StringLanguage } from "./string-language.js";
import { allStrings, complement, containsString, finiteLanguage, intersect, isEmptyLanguage, patternLanguage, sampleString } from "./string-language.js";

/** Patterns plus `propertyNames` schemas beyond this many are not split into classes. */
export const MAX_SPLITTERS = 10;

const PREFERRED = ["extra", "x", "other", "b", "a1"];

/** The names a `propertyNames` schema accepts, when they form a regular language. */
function nameLanguage(schema: JsonSchema): StringLanguage | undefined {
  const node = core(schema);
  if (node === false) return finiteLanguage([]);
  const allowed = ["type", "pattern", "minLength", "maxLength", "enum", "const"];
  if (!Object.keys(node).every((keyword) => allowed.includes(keyword))) return undefined;
  if ("type" in node && node["type"] !== "string") return undefined;
  let language = stringInclusionLanguage([node]);
  if (language === undefined) return undefined;
  const values = "const" in node ? [node["const"]] : Array.isArray(node["enum"]) ? node["enum"] : undefined;
  if (values !== undefined) language = intersect(language, finiteLanguage(values.filter((v): v is string => typeof v === "string")));
  return language;
}

function pick(language: StringLanguage): string | undefined {
  return PREFERRED.find((name) => containsString(language, name)) ?? sampleString(language);
}

/**
 * One representative name for every class of undeclared names, or `undefined` when the
 * patterns or `propertyNames` cannot be analysed.
 */
export function undeclaredRepresentatives(declared: ReadonlySet<string>, patterns: readonly string[], propertyNames: readonly JsonSchema[]): string[] | undefined {
  // The common case needs no automaton: one class, any name not declared.
  if (patterns.length === 0 && propertyNames.length === 0) {
    const free = PREFERRED.find((name) => !declared.has(name)) ?? [...declared].join("_");
    return [free];
  }
  const splitters: StringLanguage[] = [];
  for (const pattern of patterns) {
    const language = patternLanguage(pattern);
    if (language === undefined) return undefined;
    splitters.push(language);
  }
  for (const schema of propertyNames) {
    const language = nameLanguage(schema);
    if (language === undefined) return undefined;
    splitters.push(language);
  }
  if (splitters.length > MAX_SPLITTERS) return undefined;
  const names: string[] = [];
  const visit = (index: number, language: StringLanguage): void => {
    if (isEmptyLanguage(language)) return;
    const splitter = splitters[index];
    if (splitter === undefined) {
      const name = pick(language);
      if (name !== undefined) names.push(name);
      return;
    }
    visit(index + 1, intersect(language, splitter));
    visit(index + 1, intersect(language, complement(splitter)));
  };
  visit(0, intersect(allStrings(), complement(finiteLanguage([...declared]))));
  return names;
}
