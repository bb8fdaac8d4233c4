/**
 * Computes the personal-data map of one event version from its resolved schema: every `x-pii`
 * field with the JSON Pointer of its data subject's id. Array items appear as `*` in paths.
 * A subject is either explicit (`x-pii: { subject }`, absolute or relative JSON Pointer) or the
 * nearest `x-data-subject` property: same object first, then enclosing objects outward.
 */
import type { PiiField } from "../model/catalog-model.js";
import { parsePointer, toPointer } from "./json-pointer.js";
import type { ProblemList } from "./problem-list.js";
import type { Origin } from "./resolve-refs.js";
import { childSchemas, isRecord, walkSchemas, type SchemaRecord } from "./schema-walk.js";
import { findSchemasAt, inPlaceSubschemas, isStringTyped } from "./schema-lookup.js";

interface Mark {
  readonly path: readonly string[];
  readonly node: SchemaRecord;
}

/** Positions whose data cannot be named by a path, so `x-pii` / `x-data-subject` there would be lost. */
const OPAQUE = new Set(["additionalProperties", "patternProperties", "propertyNames", "contains", "not", "if", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
/** In-place subschemas: they describe the same data as their parent (`if` is a condition, not a description). */
const SAME_PATH = new Set(["allOf", "anyOf", "oneOf", "then", "else", "dependentSchemas"]);

/** The pii fields of `resolved` (sorted by path); problems are reported against `eventFile`. */
export function mapPii(eventFile: string, resolved: unknown, origins: WeakMap<object, Origin>, problems: ProblemList): PiiField[] {
  const report = (code: Parameters<ProblemList["add"]>[0], mark: Mark, suffix: string, message: string): void => {
    const origin = origins.get(mark.node);
    const local = origin !== undefined && origin.file === eventFile;
    const where = origin === undefined || local ? "" : ` (declared in ${problems.show(origin.file)}#${origin.pointer})`;
    problems.add(code, eventFile, local ? `${origin.pointer}${suffix}` : "", `field ${toPointer(mark.path) || "/"}${where}: ${message}`);
  };

  const pii = new Map<string, Mark>();
  const subjects = new Map<string, Mark[]>();
  const starMessage = (what: string): string =>
    `${what} has a property literally named "*" on its path, which personal-data paths use as the array wildcard; rename that property`;
  // `literalStar`: a segment of `path` is a property named `*`, not array items.
  const visit = (node: unknown, path: readonly string[], literalStar: boolean): void => {
    if (!isRecord(node)) return;
    if (node["x-data-subject"] === true) {
      const scope = toPointer(path.slice(0, -1));
      const mark = { path, node };
      if (path.length === 0) report("pii-unsupported-location", mark, "/x-data-subject", "x-data-subject cannot mark the event itself");
      else if (literalStar) report("pii-star-property", mark, "/x-data-subject", starMessage("this x-data-subject field"));
      else if (!isStringTyped(node)) report("pii-subject-not-string", mark, "/x-data-subject", "an x-data-subject field must be string-typed");
      else if (!subjects.get(scope)?.some((m) => toPointer(m.path) === toPointer(path))) subjects.set(scope, [...(subjects.get(scope) ?? []), mark]);
    }
    if (isPiiMark(node["x-pii"])) {
      if (path.length === 0) report("pii-unsupported-location", { path, node }, "/x-pii", "x-pii cannot mark the event itself; mark its fields");
      else if (literalStar) report("pii-star-property", { path, node }, "/x-pii", starMessage("this personal-data field"));
      else if (!pii.has(toPointer(path))) pii.set(toPointer(path), { path, node });
      return; // everything inside a personal-data field is encrypted with it
    }
    for (const child of childSchemas(node, "")) {
      if (child.keyword === "properties") {
        const name = parsePointer(child.pointer)?.[1] ?? "";
        visit(child.schema, [...path, name], literalStar || name === "*");
      } else if (child.keyword === "items") visit(child.schema, [...path, "*"], literalStar);
      else if (child.keyword === "prefixItems") visit(child.schema, [...path, parsePointer(child.pointer)?.[1] ?? ""], literalStar);
      else if (SAME_PATH.has(child.keyword)) visit(child.schema, path, literalStar);
      else if (OPAQUE.has(child.keyword)) refuseInside(child.schema, path);
    }
  };
  const refuseInside = (schema: unknown, path: readonly string[]): void => {
    walkSchemas(schema, (node) => {
      if (typeof node === "boolean") return;
      if (node["x-pii"] !== undefined || node["x-data-subject"] !== undefined) {
        report("pii-unsupported-location", { path, node }, "", "x-pii and x-data-subject are honoured only under properties, items, prefixItems and allOf/anyOf/oneOf/then/else/dependentSchemas, where a data path can reach them");
      }
    });
  };
  visit(resolved, [], false);

  const fields: PiiField[] = [];
  for (const mark of [...pii.values()]) {
    const subject = subjectOf(mark, resolved, subjects, [...pii.keys()], report);
    if (subject !== undefined) fields.push({ path: toPointer(mark.path), subject: toPointer(subject) });
  }
  return fields.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** True when `node`, or one of its in-place subschemas, declares a property named `*`. */
function hasStarProperty(node: unknown): boolean {
  if (!isRecord(node)) return false;
  const properties = node["properties"];
  if (isRecord(properties) && Object.hasOwn(properties, "*")) return true;
  return inPlaceSubschemas(node).some(hasStarProperty);
}

/** `true` or `{ subject }`; other values are meta-schema problems, reported elsewhere. */
function isPiiMark(value: unknown): boolean {
  return value === true || (isRecord(value) && typeof value["subject"] === "string");
}

type Report = (code: Parameters<ProblemList["add"]>[0], mark: Mark, suffix: string, message: string) => void;

function subjectOf(mark: Mark, root: unknown, subjects: ReadonlyMap<string, Mark[]>, piiPaths: readonly string[], report: Report): readonly string[] | undefined {
  const spec = mark.node["x-pii"];
  if (isRecord(spec) && typeof spec["subject"] === "string") return explicitSubject(mark, spec["subject"], root, piiPaths, report);
  for (let depth = mark.path.length - 1; depth >= 0; depth -= 1) {
    const candidates = subjects.get(toPointer(mark.path.slice(0, depth))) ?? [];
    if (candidates.length === 1) return candidates[0]?.path;
    if (candidates.length > 1) {
      const names = candidates.map((c) => toPointer(c.path)).join(", ");
      report("pii-subject-ambiguous", mark, "/x-pii", `the data subject is ambiguous (${names} are equally near); name one with "x-pii": { "subject": "<pointer>" }`);
      return undefined;
    }
  }
  report("pii-no-subject", mark, "/x-pii", `no data subject in scope; mark the subject's id field with "x-data-subject": true or name it with "x-pii": { "subject": "<pointer>" }`);
  return undefined;
}

function explicitSubject(mark: Mark, spec: string, root: unknown, piiPaths: readonly string[], report: Report): readonly string[] | undefined {
  const invalid = (why: string): undefined => {
    report("pii-subject-invalid", mark, "/x-pii/subject", `x-pii subject ${JSON.stringify(spec)} ${why}`);
    return undefined;
  };
  let tokens: string[] | undefined;
  const relative = /^(0|[1-9][0-9]*)(.*)$/.exec(spec);
  if (spec === "" || spec.startsWith("/")) {
    tokens = parsePointer(spec);
  } else if (relative?.[1] !== undefined && relative[2] !== undefined) {
    const up = Number(relative[1]);
    if (up > mark.path.length) return invalid(`climbs ${up} levels from ${toPointer(mark.path)}, above the event root`);
    const rest = parsePointer(relative[2]);
    tokens = rest === undefined ? undefined : [...mark.path.slice(0, mark.path.length - up), ...rest];
  }
  if (tokens === undefined) return invalid("is neither a JSON Pointer nor a relative JSON Pointer such as 1/customerId");
  const target = toPointer(tokens);
  const star = tokens.findIndex((token, i) => token === "*" && findSchemasAt(root, tokens.slice(0, i)).some(hasStarProperty));
  if (star !== -1) {
    report("pii-star-property", mark, "/x-pii/subject", `x-pii subject ${JSON.stringify(spec)} resolves to ${target}, whose "*" at ${toPointer(tokens.slice(0, star)) || "the root"} could be the array wildcard or the property named "*" there; rename that property`);
    return undefined;
  }
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i] === "*" && (mark.path[i] !== "*" || toPointer(tokens.slice(0, i)) !== toPointer(mark.path.slice(0, i)))) {
      return invalid(`resolves to ${target}, inside an array that does not hold the field`);
    }
  }
  if (piiPaths.some((p) => target === p || target.startsWith(`${p}/`))) return invalid(`resolves to ${target}, which is personal data itself; the subject's id must stay readable`);
  const found = findSchemasAt(root, tokens);
  if (found.length === 0) {
    report("pii-subject-missing", mark, "/x-pii/subject", `x-pii subject pointer ${JSON.stringify(spec)} resolves to ${target}, a field that does not exist in the schema`);
    return undefined;
  }
  if (!found.some(isStringTyped)) {
    report("pii-subject-not-string", mark, "/x-pii/subject", `x-pii subject ${target} must be a string-typed field`);
    return undefined;
  }
  return tokens;
}
