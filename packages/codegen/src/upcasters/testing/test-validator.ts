/**
 * Test support: validates data against a resolved schema with ajv (draft 2020-12), asserting the
 * formats event schemas use. Independent of the zod emitter on purpose.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";

import type { JsonSchemaObject } from "../../model/catalog-model.js";

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value));
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);

/** Drops `$id`/`$schema` everywhere: versions' ids would collide in ajv's registry, and resolved schemas need none. */
function anonymous(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(anonymous);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "$id" && key !== "$schema")
      .map(([key, item]) => [key, anonymous(item)]),
  );
}

const cache = new WeakMap<JsonSchemaObject, ValidateFunction>();

/** True when `data` is valid under `schema`. */
export function isValid(schema: JsonSchemaObject, data: unknown): boolean {
  let validate = cache.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(anonymous(schema) as JsonSchemaObject);
    cache.set(schema, validate);
  }
  return validate(data) === true;
}

/** ajv's errors for `data`, for assertion messages. */
export function validationErrors(schema: JsonSchemaObject, data: unknown): string {
  isValid(schema, data);
  return JSON.stringify(cache.get(schema)?.errors ?? []);
}
