/**
 * Every problem the catalog loader can report, with a one-line meaning. The codes are stable:
 * tools and tests may branch on them. docs/schema-reference.md lists the same table.
 */
export const CATALOG_PROBLEM_CODES = {
  "catalog-not-found": "The catalog folder does not exist or is not a folder.",
  "unreadable-file": "A file or folder of the catalog could not be read.",
  "unexpected-entry": "A file or folder that does not belong in the catalog layout, or has a bad name.",
  "missing-context-config": "A context folder has no context.json.",
  "invalid-context-config": "context.json does not match its schema, or repeats another context's package or directory.",
  "malformed-json": "The file is not valid JSON (line and column given).",
  "invalid-schema": "The file fails the JSON Schema 2020-12 meta-schema or Strata's vendor-keyword meta-schema.",
  "unknown-keyword": "A keyword Strata's generators cannot honour (not in SUPPORTED_KEYWORDS).",
  "unsupported-format": "A `format` value outside SUPPORTED_FORMATS.",
  "non-object-root": "An event schema's root is not `{\"type\": \"object\", ...}`.",
  "unsupported-dialect": "`$schema` names something other than JSON Schema draft 2020-12.",
  "nested-resource": "`$id` or `$schema` below the root of a file.",
  "id-mismatch": "`$id` is missing, not an absolute URI, or does not end with the file's catalog path.",
  "base-uri-mismatch": "`$id` uses a different catalog base URI than the other files.",
  "title-mismatch": "An event schema's `title` differs from its event type folder.",
  "missing-version": "An event type has no v1.json.",
  "skipped-version": "An event type's versions have a hole (v1, v3 without v2).",
  "duplicate-event-type": "Two event type folders have the same name (compared case-insensitively), in one or two contexts.",
  "ref-outside-catalog": "A `$ref` points outside the catalog base URI.",
  "unresolved-ref": "A `$ref` points to a missing file, a missing JSON Pointer or an `$anchor` the file does not declare.",
  "duplicate-anchor": "Two subschemas of one file declare the same `$anchor`.",
  "circular-ref": "A `$ref` leads back to itself, directly or through other files.",
  "pii-subject-missing": "An `x-pii` subject pointer names a field that does not exist in the schema.",
  "pii-subject-not-string": "A data-subject field (explicit subject or `x-data-subject`) is not string-typed.",
  "pii-subject-invalid": "An `x-pii` subject pointer is malformed, climbs above the root, is personal data itself, or lies in an array that does not hold the field.",
  "pii-subject-ambiguous": "Two `x-data-subject` fields are equally near a personal-data field; name one with `x-pii.subject`.",
  "pii-no-subject": "A personal-data field has no data subject in scope.",
  "pii-star-property": "A property literally named `*` on the path of an `x-pii` field or of a data subject, where it collides with the array wildcard.",
  "pii-unsupported-location": "`x-pii` / `x-data-subject` where no data path can reach it (root, additionalProperties, not, ...).",
  "invalid-lock-file": "schemas/strata.lock.json cannot be read as a lock file.",
  "released-version-edited": "A released (locked) file's content changed.",
  "released-version-deleted": "A released (locked) file is missing: deleted or renamed.",
} as const;

/** A stable code of a {@link CatalogProblem}. */
export type CatalogProblemCode = keyof typeof CATALOG_PROBLEM_CODES;
