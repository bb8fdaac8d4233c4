/**
 * The JSON Schema keywords Strata's generators honour. The loader refuses every other keyword
 * (with the file and JSON Pointer), so a schema is never validated by rules it did not ask for.
 */

/** Keywords that carry no validation and are accepted anywhere. */
export const ANNOTATION_KEYWORDS = [
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "$anchor",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentEncoding",
  "contentMediaType",
] as const;

/** Strata's vendor keywords (see docs/schema-reference.md). */
export const VENDOR_KEYWORDS = ["x-pii", "x-data-subject", "x-renamed-from"] as const;

/** Validation keywords with the semantics of JSON Schema draft 2020-12. */
export const VALIDATION_KEYWORDS = [
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
  "unevaluatedItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "$ref",
] as const;

export type SupportedKeyword =
  | (typeof ANNOTATION_KEYWORDS)[number]
  | (typeof VENDOR_KEYWORDS)[number]
  | (typeof VALIDATION_KEYWORDS)[number];

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set<string>([
  ...ANNOTATION_KEYWORDS,
  ...VENDOR_KEYWORDS,
  ...VALIDATION_KEYWORDS,
]);

/**
 * Values of `format` that are asserted (Strata uses the format-assertion vocabulary: a value
 * that does not match is invalid). Any other format is refused by the loader.
 */
export const SUPPORTED_FORMATS = ["uuid", "email", "date-time", "date", "time", "ipv4", "ipv6", "uri", "duration"] as const;
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number];

/**
 * Keywords of JSON Schema (2020-12 and earlier drafts) that Strata refuses, each with what to
 * write instead. The loader's message names the keyword, its JSON Pointer and this alternative.
 */
export const REFUSED_KEYWORD_ALTERNATIVES: Readonly<Record<string, string>> = {
  $dynamicRef: "use $ref to a $defs entry",
  $dynamicAnchor: "use $anchor, or a $defs entry that $ref points to",
  $recursiveRef: "use $ref to a $defs entry",
  $recursiveAnchor: "use a $defs entry that $ref points to",
  $vocabulary: "it belongs in meta-schemas only; event schemas use the draft 2020-12 dialect as a whole",
  contentSchema: "store the decoded value as its own JSON field and describe it with a schema",
  definitions: "use $defs (draft 2020-12)",
  dependencies: "use dependentRequired for a list of names, or dependentSchemas for a schema",
  additionalItems: "use prefixItems for the tuple and items for the rest (draft 2020-12)",
  id: "use $id",
};

/** The alternative for any other unknown keyword. */
export const UNKNOWN_KEYWORD_ALTERNATIVE = "remove it, or move the note into description or $comment (vendor keywords other than x-pii, x-data-subject and x-renamed-from are refused too)";
