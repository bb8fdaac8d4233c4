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
  "items",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
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
