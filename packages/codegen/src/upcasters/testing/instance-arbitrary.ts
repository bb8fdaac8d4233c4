/**
 * Test support: a fast-check arbitrary of instances of a JSON Schema, built from the schema
 * itself, for the keyword subset event schemas use (object/properties/required/closed models,
 * type unions, enum/const, integer/number bounds, string lengths/format/pattern, arrays,
 * booleans, null, `allOf` merged, `anyOf`/`oneOf`). Instances are meant to be filtered through
 * a validator: for keyword combinations outside this subset an instance may be invalid.
 */
import fc from "fast-check";

import { asSchema, normalizeSchema } from "../../diff/normalize-schema.js";
import type { JsonSchema, JsonSchemaObject, JsonValue } from "../../model/catalog-model.js";

function num(schema: JsonSchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === "number" ? value : undefined;
}

function integers(schema: JsonSchemaObject): fc.Arbitrary<number> {
  const exclusiveMin = num(schema, "exclusiveMinimum");
  const exclusiveMax = num(schema, "exclusiveMaximum");
  const min = Math.max(num(schema, "minimum") ?? -1_000_000, exclusiveMin === undefined ? -Infinity : Math.floor(exclusiveMin) + 1);
  const max = Math.min(num(schema, "maximum") ?? 1_000_000, exclusiveMax === undefined ? Infinity : Math.ceil(exclusiveMax) - 1);
  const multiple = num(schema, "multipleOf");
  if (multiple !== undefined && Number.isInteger(multiple)) {
    return fc.integer({ min: Math.ceil(min / multiple), max: Math.floor(max / multiple) }).map((n) => n * multiple);
  }
  return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
}

function numbers(schema: JsonSchemaObject): fc.Arbitrary<number> {
  const min = num(schema, "minimum") ?? num(schema, "exclusiveMinimum") ?? -1e6;
  const max = num(schema, "maximum") ?? num(schema, "exclusiveMaximum") ?? 1e6;
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: "exclusiveMinimum" in schema, maxExcluded: "exclusiveMaximum" in schema });
}

function strings(schema: JsonSchemaObject): fc.Arbitrary<string> {
  const format = typeof schema["format"] === "string" ? schema["format"] : "";
  switch (format) {
    case "uuid":
      return fc.uuid();
    case "email":
      return fc.emailAddress();
    case "date-time":
      return fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
    case "date":
      return fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    default:
      break;
  }
  const minLength = num(schema, "minLength") ?? 0;
  const maxLength = num(schema, "maxLength") ?? Math.max(minLength, 12);
  if (typeof schema["pattern"] === "string") {
    return fc.stringMatching(new RegExp(schema["pattern"], "u")).filter((s) => [...s].length >= minLength && [...s].length <= maxLength);
  }
  return fc.string({ minLength, maxLength });
}

function objects(schema: JsonSchemaObject): fc.Arbitrary<JsonValue> {
  const properties = schema["properties"];
  const required = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((n): n is string => typeof n === "string") : []);
  const record: Record<string, fc.Arbitrary<JsonValue>> = {};
  if (typeof properties === "object" && properties !== null && !Array.isArray(properties)) {
    for (const [name, property] of Object.entries(properties)) record[name] = instanceArbitrary(asSchema(property) ?? true);
  }
  const requiredKeys = Object.keys(record).filter((name) => required.has(name));
  return fc.record(record, { requiredKeys }) as fc.Arbitrary<JsonValue>;
}

function arrays(schema: JsonSchemaObject): fc.Arbitrary<JsonValue> {
  const items = instanceArbitrary(asSchema(schema["items"]) ?? true);
  const minLength = num(schema, "minItems") ?? 0;
  const maxLength = num(schema, "maxItems") ?? Math.max(minLength, 4);
  return schema["uniqueItems"] === true
    ? fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
    : fc.array(items, { minLength, maxLength });
}

function ofType(type: string, schema: JsonSchemaObject): fc.Arbitrary<JsonValue> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integers(schema);
    case "number":
      return fc.oneof(integers(schema), numbers(schema));
    case "string":
      return strings(schema);
    case "array":
      return arrays(schema);
    case "object":
      return objects(schema);
    default:
      return fc.constant(null);
  }
}

/** Instances of `schema` (resolved: no `$ref`). */
export function instanceArbitrary(schema: JsonSchema): fc.Arbitrary<JsonValue> {
  const node = normalizeSchema(schema);
  if (node === false) throw new Error("The schema `false` has no instances");
  if (Array.isArray(node["enum"])) return fc.constantFrom(...node["enum"]);
  if ("const" in node) return fc.constant(node["const"] as JsonValue);
  const branches = node["anyOf"] ?? node["oneOf"];
  if (Array.isArray(branches)) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
    return fc.oneof(...branches.map((branch) => instanceArbitrary({ ...rest, ...(asSchema(branch) === true ? {} : (branch as JsonSchemaObject)) })));
  }
  const declared = node["type"];
  const types = typeof declared === "string" ? [declared] : Array.isArray(declared) ? declared.filter((t): t is string => typeof t === "string") : ["null", "boolean", "integer", "string"];
  return fc.oneof(...types.map((type) => ofType(type, node)));
}
