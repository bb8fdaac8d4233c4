/**
 * The real validator behind every witness: `@cfworker/json-schema` (draft 2020-12, formats
 * asserted like Strata's validators do). ajv 8 is not used here because it gets some
 * `unevaluatedProperties` cases with `anyOf`/`if` wrong, and a witness must never be a false
 * alarm; the property tests use ajv as the second, independent opinion.
 */
import { Validator } from "@cfworker/json-schema";

import { appendPointer } from "../load/json-pointer.js";
import type { JsonSchema, JsonValue } from "../model/catalog-model.js";

const validators = new WeakMap<object, Validator>();

function validatorOf(schema: JsonSchema): Validator | undefined {
  if (typeof schema === "boolean") return undefined;
  let validator = validators.get(schema);
  if (validator === undefined) {
    // The validator annotates the schema object it is given (`__absolute_uri__`), and catalog
    // schemas are frozen: it gets its own copy.
    validator = new Validator(structuredClone(schema) as Record<string, unknown>, "2020-12", false);
    validators.set(schema, validator);
  }
  return validator;
}

/** True when `schema` accepts `value`. */
export function accepts(schema: JsonSchema, value: JsonValue): boolean {
  if (typeof schema === "boolean") return schema;
  return validatorOf(schema)?.validate(value).valid ?? false;
}

/** The data pointer of the deepest error `schema` reports for `value` (`""` for the root). */
export function failurePointer(schema: JsonSchema, value: JsonValue): string {
  const errors = validatorOf(schema)?.validate(value).errors ?? [];
  let deepest = "";
  for (const error of errors) {
    // A missing required property is reported at its object; point at the property itself.
    const missing = error.keyword === "required" ? /"((?:[^"\\]|\\.)*)"/.exec(error.error)?.[1] : undefined;
    const at = error.instanceLocation.replace(/^#/, "");
    const pointer = missing === undefined ? at : appendPointer(at, missing);
    if (pointer.length > deepest.length) deepest = pointer;
  }
  return deepest;
}
