/**
 * Checks that a file's `$id`, `$schema` and `title` agree with where it lives, and works out the
 * catalog base URI: the part of every `$id` before `/<context>/...`, the same for all files.
 */
import { isRecord, walkSchemas } from "./schema-walk.js";
import type { ProblemList } from "./problem-list.js";

export const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** Used for resolution only when no file has a usable `$id` (those files are reported anyway). */
const FALLBACK_BASE = "https://catalog.invalid/schemas";

export interface IdentityInput {
  readonly rel: string;
  readonly value: unknown;
  /** Event type name for event files; undefined for shared definitions. */
  readonly eventType: string | undefined;
}

/** Reports `$id` / `$schema` / `title` / nested-resource problems and returns the catalog base URI. */
export function checkIdentities(files: readonly IdentityInput[], problems: ProblemList): string {
  const bases = new Map<string, string[]>();
  for (const file of files) {
    if (!isRecord(file.value)) continue;
    const base = baseOf(file, problems);
    if (base !== undefined) bases.set(base, [...(bases.get(base) ?? []), file.rel]);
    checkDialectAndTitle(file, file.value, problems);
  }
  const ranked = [...bases].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
  const catalogBase = ranked[0]?.[0] ?? FALLBACK_BASE;
  for (const [base, rels] of ranked.slice(1)) {
    for (const rel of rels) {
      problems.add("base-uri-mismatch", rel, "/$id", `$id uses the base URI ${base} but the catalog's other files use ${catalogBase}; every $id must start with the same base`);
    }
  }
  return catalogBase;
}

/** The URL a file is resolved at: the catalog base plus its catalog path. */
export function fileUrl(catalogBase: string, rel: string): string {
  return `${catalogBase}/${rel.split("/").map(encodeURIComponent).join("/")}`;
}

function baseOf(file: IdentityInput, problems: ProblemList): string | undefined {
  const id = (file.value as Record<string, unknown>)["$id"];
  const expected = `…/${file.rel}`;
  if (typeof id !== "string") {
    problems.add("id-mismatch", file.rel, "", `$id is missing; it must be an absolute URI ending with ${expected}`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    problems.add("id-mismatch", file.rel, "/$id", `$id ${JSON.stringify(id)} is not an absolute URI; it must end with ${expected}`);
    return undefined;
  }
  const href = url.href.replace(/#$/, "");
  const suffix = fileUrl("", file.rel);
  if (url.hash !== "" || !href.endsWith(suffix) || href.length === suffix.length) {
    problems.add("id-mismatch", file.rel, "/$id", `$id ${JSON.stringify(id)} does not match the file's place in the catalog; it must end with ${expected}`);
    return undefined;
  }
  return href.slice(0, -suffix.length);
}

function checkDialectAndTitle(file: IdentityInput, schema: Readonly<Record<string, unknown>>, problems: ProblemList): void {
  const dialect = schema["$schema"];
  if (dialect !== undefined && dialect !== DRAFT_2020_12 && dialect !== `${DRAFT_2020_12}#`) {
    problems.add("unsupported-dialect", file.rel, "/$schema", `$schema must be ${DRAFT_2020_12} (JSON Schema draft 2020-12), not ${JSON.stringify(dialect)}`);
  }
  if (file.eventType !== undefined && schema["title"] !== file.eventType) {
    problems.add("title-mismatch", file.rel, schema["title"] === undefined ? "" : "/title", `title must be ${JSON.stringify(file.eventType)}, the name of the event type folder`);
  }
  walkSchemas(schema, (node, pointer) => {
    if (pointer === "" || typeof node === "boolean") return;
    for (const keyword of ["$id", "$schema"]) {
      if (keyword in node) {
        problems.add("nested-resource", file.rel, `${pointer}/${keyword}`, `${keyword} is allowed only at the root of a file; split the subschema into its own file under a _shared folder`);
      }
    }
  });
}
