/** Which keywords apply to which JSON type (a keyword constrains only values of its own type). */
import type { JsonSchemaObject } from "../../model/catalog-model.js";

const OBJECT_KEYWORDS = ["properties", "required", "additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties", "dependentRequired", "dependentSchemas"];
const ARRAY_KEYWORDS = ["items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems"];
const STRING_KEYWORDS = ["format", "pattern", "minLength", "maxLength"];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

const uses = (schema: JsonSchemaObject, keywords: readonly string[]): boolean => keywords.some((keyword) => keyword in schema);

/** True when the schema has a keyword that constrains objects. */
export const constrainsObjects = (schema: JsonSchemaObject): boolean => uses(schema, OBJECT_KEYWORDS);
/** True when the schema has a keyword that constrains arrays (`minContains`/`maxContains` need `contains`). */
export const constrainsArrays = (schema: JsonSchemaObject): boolean => uses(schema, ARRAY_KEYWORDS);
/** True when the schema has a keyword that constrains strings. */
export const constrainsStrings = (schema: JsonSchemaObject): boolean => uses(schema, STRING_KEYWORDS);
/** True when the schema has a keyword that constrains numbers. */
export const constrainsNumbers = (schema: JsonSchemaObject): boolean => uses(schema, NUMBER_KEYWORDS);
