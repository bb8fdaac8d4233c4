/**
 * The validator of the object values of a schema. The common case is plain zod:
 * `z.strictObject({...})` for `additionalProperties: false`, `z.looseObject({...})` otherwise
 * (JSON Schema allows extra keys, and zod then keeps them in the output).
 *
 * What zod objects cannot check exactly goes to the `objectRules` helper, which sees the input
 * before it is piped into the zod object: `patternProperties`, `propertyNames`, property counts,
 * `dependentRequired`, `dependentSchemas`, `required` names without a property schema, properties named like
 * `Object.prototype` members (`__proto__`, `constructor`: zod reads them through the prototype
 * chain), and an `additionalProperties` schema (zod's `.catchall()` skips an own `__proto__`
 * key). An own `__proto__` key is validated but, as zod does, not copied to the output.
 */
import type { ts } from "ts-morph";

import type { JsonSchema, JsonSchemaObject } from "../../model/catalog-model.js";
import type { EmitContext } from "./emit-context.js";
import { childPointer, useHelper } from "./emit-context.js";
import { compilePattern } from "./emit-string.js";
import { isJsonObject, numberKeyword, schemaKeyword, schemaMapKeyword, stringListKeyword } from "./json-guards.js";
import { array, call, invoke, num, object, regex, str, zod } from "./zod-ast.js";
import { ZodEmitError } from "./zod-emit-error.js";

function isPrototypeName(key: string): boolean {
  return key in Object.prototype;
}

function allowsAnything(schema: JsonSchema | undefined): boolean {
  return schema === undefined || schema === true || (typeof schema === "object" && Object.keys(schema).length === 0);
}

function dependentRequired(schema: JsonSchemaObject, pointer: string): [string, string[]][] {
  const value = schema["dependentRequired"];
  if (value === undefined) return [];
  if (!isJsonObject(value)) throw new ZodEmitError("invalid-keyword-value", pointer, `"dependentRequired" must be an object`);
  return Object.entries(value).map(([key, needed]) => [key, stringListKeyword(needed, "dependentRequired", pointer)]);
}

/** `z.strictObject` / `z.looseObject` / `z.object().catchall()`, prefixed by `objectRules` when needed. */
export function objectSchema(schema: JsonSchemaObject, pointer: string, context: EmitContext): ts.Expression {
  const emit = (sub: JsonSchema, ...tokens: string[]): ts.Expression => context.emit(sub, childPointer(pointer, ...tokens), context);
  const properties = schemaMapKeyword(schema, "properties", pointer);
  const required = new Set(stringListKeyword(schema["required"], "required", pointer));
  const patterns = schemaMapKeyword(schema, "patternProperties", pointer);
  const additional = schemaKeyword(schema, "additionalProperties", pointer);
  const propertyNames = schemaKeyword(schema, "propertyNames", pointer);
  const minProperties = numberKeyword(schema, "minProperties", pointer);
  const maxProperties = numberKeyword(schema, "maxProperties", pointer);
  const dependencies = dependentRequired(schema, pointer);
  for (const [pattern] of patterns) compilePattern(pattern, childPointer(pointer, "patternProperties", pattern));

  const shapeProperties = properties.filter(([key]) => !isPrototypeName(key));
  const ruleProperties = properties.filter(([key]) => isPrototypeName(key));
  const ruleRequired = [...required].filter((key) => !shapeProperties.some(([name]) => name === key));
  // zod's catchall skips an own `__proto__` key, so only `false` without patterns or
  // prototype-named properties stays native (z.strictObject reports `__proto__` as unknown).
  const additionalInRules = !allowsAnything(additional) && (additional !== false || patterns.length > 0 || ruleProperties.length > 0);

  const rules: [string, ts.Expression][] = [];
  if (ruleProperties.length > 0) {
    rules.push(["properties", array(ruleProperties.map(([key, sub]) => array([str(key), emit(sub, "properties", key)])))]);
  }
  if (ruleRequired.length > 0) rules.push(["required", array(ruleRequired.map(str))]);
  if (patterns.length > 0) {
    rules.push(["patternProperties", array(patterns.map(([pattern, sub]) => array([regex(pattern), emit(sub, "patternProperties", pattern)])))]);
  }
  if (additionalInRules && additional !== undefined) {
    rules.push(["additionalProperties", emit(additional, "additionalProperties")]);
    rules.push(["knownProperties", array(properties.map(([key]) => str(key)))]);
  }
  if (propertyNames !== undefined) rules.push(["propertyNames", emit(propertyNames, "propertyNames")]);
  if (minProperties !== undefined && minProperties > 0) rules.push(["minProperties", num(minProperties)]);
  if (maxProperties !== undefined) rules.push(["maxProperties", num(maxProperties)]);
  if (dependencies.length > 0) {
    rules.push(["dependentRequired", array(dependencies.map(([key, needed]) => array([str(key), array(needed.map(str))])))]);
  }
  const dependentSchemas = schemaMapKeyword(schema, "dependentSchemas", pointer);
  if (dependentSchemas.length > 0) {
    rules.push(["dependentSchemas", array(dependentSchemas.map(([key, sub]) => array([str(key), emit(sub, "dependentSchemas", key)])))]);
  }

  const shape = object(
    shapeProperties.map(([key, sub]) => {
      const value = emit(sub, "properties", key);
      return [key, required.has(key) ? value : call(value, "optional")] as const;
    }),
  );
  const expr = additional === false && !additionalInRules ? zod("strictObject", shape) : zod("looseObject", shape);

  if (rules.length === 0) return expr;
  // The rules must see the input itself (zod's object output drops an own `__proto__` key), so
  // they run first and the input is then piped into the object. Not `.and()`: a zod intersection
  // forgives a strict object's unknown keys when the other side reports none.
  return call(call(zod("unknown"), "superRefine", invoke(useHelper(context, "objectRules"), object(rules))), "pipe", expr);
}
