/**
 * Inlines every `$ref` of a schema file. Refs resolve against the file's URL in the catalog
 * (WHATWG URL rules); a target must be a file of the catalog, and a JSON Pointer fragment, an
 * `$anchor` name (`#currency`), or none selects the subschema. Inlined copies lose `$id`,
 * `$schema`, `$anchor` and `$defs`; `$defs` are
 * still resolved (so their problems are reported) but dropped from the output, which never
 * needs them. A `$ref` with siblings becomes `{ allOf: [target], ...siblings }`.
 */
import { findAnchors } from "./anchors.js";
import { appendPointer, evaluatePointer, parsePointer } from "./json-pointer.js";
import type { ProblemList } from "./problem-list.js";
import { ARRAY_SUBSCHEMA_KEYWORDS, MAP_SUBSCHEMA_KEYWORDS, SINGLE_SUBSCHEMA_KEYWORDS, isRecord, isSchemaValue } from "./schema-walk.js";

/** A parsed schema file and the URL it is resolved at. */
export interface SchemaDocument {
  readonly rel: string;
  readonly value: unknown;
  /** False when the file is not valid JSON (already reported): refs into it resolve to nothing, silently. */
  readonly parsed: boolean;
  readonly url: string;
}

/** Where a node of a resolved tree was written: file (catalog-relative) and JSON Pointer. */
export interface Origin {
  readonly file: string;
  readonly pointer: string;
}

export interface Resolution {
  readonly value: unknown;
  /** False when a problem was met on the way; the value then has holes and must not be used. */
  readonly clean: boolean;
  /** Every file the value was built from, itself included. */
  readonly files: ReadonlySet<string>;
}

interface Frame {
  clean: boolean;
  readonly files: Set<string>;
}

const SINGLE: ReadonlySet<string> = new Set(SINGLE_SUBSCHEMA_KEYWORDS);
const MAP: ReadonlySet<string> = new Set(MAP_SUBSCHEMA_KEYWORDS.filter((k) => k !== "$defs"));
const ARRAY: ReadonlySet<string> = new Set(ARRAY_SUBSCHEMA_KEYWORDS);

export class RefResolver {
  /** Source location of every object node of every resolved tree. */
  readonly origins = new WeakMap<object, Origin>();
  readonly #cache = new Map<string, Resolution>();
  readonly #cycles = new Set<string>();
  readonly #anchors = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly documents: ReadonlyMap<string, SchemaDocument>,
    private readonly catalogBase: string,
    private readonly problems: ProblemList,
  ) {}

  /** The whole file `rel` with every ref inlined; `$id` and `$schema` stay at its root. */
  resolveFile(rel: string): Resolution {
    const frame: Frame = { clean: true, files: new Set([rel]) };
    const value = this.#node(rel, this.documents.get(rel)?.value, "", [`${rel}#`], frame, true);
    return { value, clean: frame.clean, files: frame.files };
  }

  #target(rel: string, pointer: string, stack: readonly string[], frame: Frame): unknown {
    const key = `${rel}#${pointer}`;
    let result = this.#cache.get(key);
    if (result === undefined) {
      const inner: Frame = { clean: true, files: new Set([rel]) };
      const node = evaluatePointer(this.documents.get(rel)?.value, parsePointer(pointer) ?? []);
      const value = this.#node(rel, node, pointer, [...stack, key], inner, false);
      result = { value, clean: inner.clean, files: inner.files };
      this.#cache.set(key, result);
    }
    frame.clean &&= result.clean;
    for (const file of result.files) frame.files.add(file);
    return result.value;
  }

  #node(rel: string, node: unknown, pointer: string, stack: readonly string[], frame: Frame, root: boolean): unknown {
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node)) {
      const at = appendPointer(pointer, keyword);
      if (keyword === "$ref" || keyword === "$anchor") continue;
      if (keyword === "$defs") {
        if (isRecord(value)) for (const name of Object.keys(value)) this.#target(rel, appendPointer(at, name), stack, frame);
      } else if (keyword === "$id" || keyword === "$schema") {
        if (root) out[keyword] = value;
      } else if (SINGLE.has(keyword) && isSchemaValue(value)) {
        out[keyword] = this.#node(rel, value, at, stack, frame, false);
      } else if (MAP.has(keyword) && isRecord(value)) {
        out[keyword] = Object.fromEntries(
          Object.entries(value).map(([name, child]) => [name, this.#node(rel, child, appendPointer(at, name), stack, frame, false)]),
        );
      } else if (ARRAY.has(keyword) && Array.isArray(value)) {
        out[keyword] = value.map((child: unknown, i) => this.#node(rel, child, appendPointer(at, i), stack, frame, false));
      } else {
        out[keyword] = value;
      }
    }
    this.origins.set(out, { file: rel, pointer });
    const ref = node["$ref"];
    if (typeof ref !== "string") return out;
    const target = this.#locate(rel, ref, appendPointer(pointer, "$ref"), frame);
    if (target === undefined) return out;
    const key = `${target.rel}#${target.pointer}`;
    const loop = stack.indexOf(key);
    if (loop !== -1) {
      frame.clean = false;
      const cycle = stack.slice(loop);
      const identity = [...cycle].sort().join("\u0000");
      if (this.#cycles.has(identity)) return out;
      this.#cycles.add(identity);
      const chain = [...cycle, key].map((k) => this.problems.show(k));
      this.problems.add("circular-ref", rel, appendPointer(pointer, "$ref"), `circular $ref: ${chain.join(" → ")}; Strata inlines every $ref, so references may not form a cycle`);
      return out;
    }
    const resolved = this.#target(target.rel, target.pointer, stack, frame);
    if (Object.keys(out).length === 0) return resolved;
    const { allOf, ...siblings } = out;
    const wrapped = { allOf: [resolved, ...(Array.isArray(allOf) ? allOf : [])], ...siblings };
    this.origins.set(wrapped, { file: rel, pointer });
    return wrapped;
  }

  #locate(rel: string, ref: string, at: string, frame: Frame): { rel: string; pointer: string } | undefined {
    const fail = (code: "unresolved-ref" | "ref-outside-catalog", message: string): undefined => {
      frame.clean = false;
      this.problems.add(code, rel, at, message);
      return undefined;
    };
    const base = this.documents.get(rel)?.url ?? `${this.catalogBase}/${rel}`;
    let url: URL;
    try {
      url = new URL(ref, base);
    } catch {
      return fail("unresolved-ref", `$ref ${JSON.stringify(ref)} is not a valid URI reference`);
    }
    const fragment = url.hash;
    url.hash = "";
    if (!url.href.startsWith(`${this.catalogBase}/`)) {
      return fail("ref-outside-catalog", `$ref ${JSON.stringify(ref)} resolves to ${url.href}, outside the catalog (${this.catalogBase}/); refs may point only to files of the catalog`);
    }
    let targetRel: string;
    let pointer: string;
    try {
      targetRel = decodeURIComponent(url.href.slice(this.catalogBase.length + 1));
      pointer = fragment === "" ? "" : decodeURIComponent(fragment.slice(1));
    } catch {
      return fail("unresolved-ref", `$ref ${JSON.stringify(ref)} has a malformed percent-encoding`);
    }
    const document = this.documents.get(targetRel);
    if (document === undefined) {
      return fail("unresolved-ref", `$ref ${JSON.stringify(ref)} points to ${this.problems.show(targetRel)}, which is not a schema file of the catalog`);
    }
    if (!document.parsed) {
      frame.clean = false;
      return undefined;
    }
    if (parsePointer(pointer) === undefined) {
      let anchors = this.#anchors.get(targetRel);
      if (anchors === undefined) this.#anchors.set(targetRel, (anchors = findAnchors(document.value)));
      const declared = anchors.get(pointer) ?? [];
      if (declared.length === 0) {
        return fail("unresolved-ref", `$ref ${JSON.stringify(ref)}: ${this.problems.show(targetRel)} declares no "$anchor": ${JSON.stringify(pointer)}`);
      }
      // Declared twice: reported once for the file as duplicate-anchor.
      if (declared.length > 1) {
        frame.clean = false;
        return undefined;
      }
      pointer = declared[0] ?? "";
    }
    const tokens = parsePointer(pointer) ?? [];
    if (!isSchemaValue(evaluatePointer(document.value, tokens))) {
      return fail("unresolved-ref", `$ref ${JSON.stringify(ref)}: ${this.problems.show(targetRel)} has no schema at ${pointer === "" ? "its root" : pointer}`);
    }
    return { rel: targetRel, pointer };
  }
}
