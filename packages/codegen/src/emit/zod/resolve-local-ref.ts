/**
 * Resolves a `$ref` inside the document being emitted: a JSON Pointer (`#`, `#/$defs/x`) or an
 * `$anchor` name (`#x`). Schemas from the loader arrive with every `$ref` inlined; this covers
 * hand-written or raw schemas. Anything else (another document) is refused.
 */
import { findAnchors } from "../../load/anchors.js";
import { evaluatePointer, parsePointer } from "../../load/json-pointer.js";
import type { JsonSchema, JsonValue } from "../../model/catalog-model.js";
import { isSchema } from "./json-guards.js";
import { ZodEmitError } from "./zod-emit-error.js";

/** The schema a local `$ref` points to, and its JSON Pointer from the document root. */
export interface ResolvedRef {
  readonly schema: JsonSchema;
  readonly pointer: string;
}

const anchorCache = new WeakMap<object, Map<string, string[]>>();

function anchorPointer(root: JsonSchema, name: string, ref: string, at: string): string {
  if (typeof root === "boolean") throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} names an $anchor, but the document is a boolean schema`);
  let anchors = anchorCache.get(root);
  if (anchors === undefined) {
    anchors = findAnchors(root);
    anchorCache.set(root, anchors);
  }
  const found = anchors.get(name) ?? [];
  const [only] = found;
  if (only === undefined) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)}: no subschema declares "$anchor": ${JSON.stringify(name)}`);
  if (found.length > 1) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)}: "$anchor": ${JSON.stringify(name)} is declared ${found.length} times (${found.join(", ")})`);
  return only;
}

/** Resolves `ref` (found at `at`) against `root`. */
export function resolveLocalRef(root: JsonSchema, ref: string, at: string): ResolvedRef {
  if (!ref.startsWith("#")) {
    throw new ZodEmitError("ref-outside-document", at, `$ref ${JSON.stringify(ref)} points outside the schema document; only "#/..." JSON Pointers and "#name" anchors are inlined`);
  }
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch (error) {
    throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} is not a valid URI fragment`, { cause: error });
  }
  if (pointer !== "" && !pointer.startsWith("/")) pointer = anchorPointer(root, pointer, ref, at);
  const tokens = parsePointer(pointer);
  const node = tokens === undefined ? undefined : (evaluatePointer(root, tokens) as JsonValue | undefined);
  if (node === undefined) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} points to nothing`);
  if (!isSchema(node)) throw new ZodEmitError("unresolved-ref", at, `$ref ${JSON.stringify(ref)} does not point to a schema`);
  return { schema: node, pointer };
}
