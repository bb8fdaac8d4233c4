/**
 * Whether a schema's zod validator outputs its input unchanged. zod objects rebuild their output
 * and drop an own `__proto__` key, so checks written as refinements must not look at the output
 * of an object (or of an array of objects): they are attached to `z.unknown()`, which is then
 * piped into the typed validator, so they get the input itself.
 */
import type { JsonSchema } from "../../model/catalog-model.js";
import { constrainsArrays, constrainsObjects } from "./keyword-groups.js";

const PRIMITIVE_TYPES: ReadonlySet<unknown> = new Set(["string", "number", "integer", "boolean", "null"]);

/** True when the emitted validator's output is known to be its input (conservative). */
export function preservesInput(schema: JsonSchema): boolean {
  if (typeof schema === "boolean") return true;
  const type = schema["type"];
  if (type !== undefined) return (Array.isArray(type) ? type : [type]).every((name) => PRIMITIVE_TYPES.has(name));
  if (constrainsObjects(schema) || constrainsArrays(schema)) return false;
  // These may become the base of the validator, whatever their subschemas output.
  return !("$ref" in schema || "allOf" in schema || "anyOf" in schema);
}
