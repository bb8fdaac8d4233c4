/**
 * Validates a schema file against the JSON Schema 2020-12 meta-schema extended with Strata's
 * vendor keywords. The extension uses `$dynamicAnchor: "meta"`, so the 2020-12 meta-schema's
 * own `$dynamicRef`s apply it to every nested subschema, not just the root.
 */
import { formatAjvErrors, sharedAjv, type LocatedMessage } from "./ajv.js";
import { validateRemembered, type ValidationMemo } from "./validation-memo.js";

/** `$id` of Strata's dialect meta-schema. */
export const STRATA_META_SCHEMA_ID = "https://strata.dev/meta/2020-12/schema";

/** JSON Pointer, or Relative JSON Pointer without the index-manipulation and `#` forms. */
export const SUBJECT_POINTER_PATTERN = "^(/.*|(0|[1-9][0-9]*)(/.*)?)$";

const STRATA_META_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: STRATA_META_SCHEMA_ID,
  $dynamicAnchor: "meta",
  allOf: [{ $ref: "https://json-schema.org/draft/2020-12/schema" }],
  properties: {
    "x-pii": {
      anyOf: [
        { const: true },
        {
          type: "object",
          properties: { subject: { type: "string", pattern: SUBJECT_POINTER_PATTERN } },
          required: ["subject"],
          additionalProperties: false,
        },
      ],
    },
    "x-data-subject": { const: true },
    "x-renamed-from": { type: "string", minLength: 1 },
    // ajv compiles its bundled meta-schemas with formats off; check regexes here instead.
    pattern: { type: "string", format: "regex" },
    patternProperties: { type: "object", propertyNames: { format: "regex" } },
  },
} as const;

/** Every meta-schema violation of `schema`, one message per JSON Pointer; `memo` skips schemas known to pass. */
export function validateAgainstMetaSchema(schema: unknown, memo?: ValidationMemo): readonly LocatedMessage[] {
  return validateRemembered(memo, STRATA_META_SCHEMA, schema, () => {
    const ajv = sharedAjv();
    if (ajv.getSchema(STRATA_META_SCHEMA_ID) === undefined) ajv.addSchema(STRATA_META_SCHEMA);
    const validate = ajv.getSchema(STRATA_META_SCHEMA_ID);
    if (validate === undefined) throw new Error("Strata meta-schema failed to compile");
    return validate(schema) ? [] : formatAjvErrors(validate.errors);
  });
}
