/**
 * The change kinds the inclusion engine does not decide, each as the reason text it reports
 * (docs/schema-evolution.md, "What the engine does not decide"). `strata check` shows them as
 * "undecidable, needs review"; a mode that protects the direction fails with
 * `compatibility-undecidable`. Anything else undecided is a bug, and the property tests say so.
 */
export const UNDECIDABLE_REASONS = [
  // JSON Schema regexes with backreferences or lookarounds refa cannot remove are not regular.
  "a pattern is not a regular expression the engine can analyse",
  "patternProperties or propertyNames that the engine cannot analyse",
  // Disjointness of an old instance from a `not`, a sibling `oneOf` branch or a failed `if`
  // is proved only by kinds, listed values and required discriminators.
  "cannot prove that old instances avoid a `not`/`oneOf`/`if` of the new schema",
  // A `format` is a fixed language without an automaton here: only its sample is tried.
  "pattern or length tightened on a",
  "unevaluatedProperties inside an alternative of the new schema",
  "unevaluatedItems beside contains in the new schema",
  "too many alternatives to compare",
  // The engine found no proof of inclusion and could not build an instance the validator
  // confirms as a break: constraints that rarely meet (uniqueItems with few distinct values,
  // counts against dependencies). Reported as undecidable, never as compatible; the property
  // test keeps its rate below 2% of random schema pairs.
  "no instance confirmed the break",
  "schemas nested too deeply to compare",
] as const;
