/**
 * Resolves a `$ref` to a JSON Pointer inside the document being emitted (`#`, `#/$defs/x`).
 * Schemas from the loader arrive with every `$ref` inlined; this covers hand-written or raw
 * schemas. Anything else (another document, an anchor) is refused.
 */
import { evaluatePointer, parsePointer } from "../../load/json-pointer.js";
import type { JsonSchema, JsonValue } from "../../model/catalog-model.js";
import { isSchema } from "./json-guards.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** The schema a local `$ref` points to, and its JSON Pointer from the document root. */
export interface ResolvedRef {
  readonly schema: JsonSchema;
  readonly pointer: string;
}

/** Resolves `ref` (found at `at`) against `root`. */
export function resolveLocalRef(root: JsonSchema, ref: string, at: string): ResolvedRef {
  if (!ref.startsWith("#")) {
    throw new ZodEmitError("ref-outside-document", at, `$ref ${JSON.stringify(ref)} points outside the schema document; only "#/..." JSON Pointers are inlined`);
  }
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch (error) {
    throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} is not a valid URI fragment`, { cause: error });
  }
  if (pointer !== "" && !pointer.startsWith("/")) {
    throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} uses an anchor; only JSON Pointers are supported`);
  }
  const tokens = parsePointer(pointer);
  const node = tokens === undefined ? undefined : (evaluatePointer(root, tokens) as JsonValue | undefined);
  if (node === undefined) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} points to nothing`);
  if (!isSchema(node)) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} does not point to a schema`);
  return { schema: node, pointer };
}
