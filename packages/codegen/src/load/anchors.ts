/**
 * `$anchor`: a plain-name fragment (`#currency`) that names a subschema of a document wherever
 * it sits, so a `$ref` does not depend on the `$defs` layout. Anchors are found like the
 * specification says: in the document's own resource, not inside an embedded resource (`$id`
 * below the root — which the loader refuses anyway).
 */
import { walkSchemas } from "./schema-walk.js";

/** `$anchor` names: a letter or `_`, then letters, digits, `-`, `_`, `.` (JSON Schema 2020-12 §8.2.2). */
export const ANCHOR_NAME = /^[A-Za-z_][-A-Za-z0-9._]*$/;

/** Every `$anchor` of `document` → the JSON Pointers of the subschemas that declare it. */
export function findAnchors(document: unknown): Map<string, string[]> {
  const anchors = new Map<string, string[]>();
  const nested: string[] = [];
  walkSchemas(document, (node, pointer) => {
    if (typeof node === "boolean") return;
    // A subschema with its own $id starts another resource: its anchors are not this document's.
    if (pointer !== "" && typeof node["$id"] === "string") nested.push(`${pointer}/`);
    if (nested.some((prefix) => `${pointer}/`.startsWith(prefix))) return;
    const name = node["$anchor"];
    if (typeof name === "string") anchors.set(name, [...(anchors.get(name) ?? []), pointer]);
  });
  return anchors;
}
