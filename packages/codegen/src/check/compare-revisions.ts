/**
 * `strata check --against <ref>`: what the working catalog changes compared with another
 * revision — versions added, removed and edited, each edit with its change list — and which of
 * those edits touch released versions.
 */
import { canonicalJson } from "../diff/canonical-json.js";
import { diffVersions } from "../diff/diff-versions.js";
import type { SchemaChange } from "../diff/schema-change.js";
import type { CatalogModel, EventTypeModel, EventVersionModel } from "../model/catalog-model.js";
import type { CheckProblem } from "./check-problem.js";
import { schemaPointerOf } from "./check-problem.js";

/** One version that differs between the base revision and the working catalog. */
export interface VersionRevision {
  readonly version: number;
  readonly status: "added" | "removed" | "edited";
  /** Released in either revision. */
  readonly released: boolean;
  /** For `edited`: base version → working version. */
  readonly changes: readonly SchemaChange[];
}

/** The revisions of one event type that differ. */
export interface EventRevision {
  /** `banking/MoneyDeposited`. */
  readonly event: string;
  readonly versions: readonly VersionRevision[];
}

/** The outcome of {@link compareRevisions}. */
export interface RevisionComparison {
  readonly ref: string;
  readonly events: readonly EventRevision[];
  /** Edits and deletions of versions released in either revision. */
  readonly problems: readonly CheckProblem[];
}

function eventsOf(catalog: CatalogModel): Map<string, EventTypeModel> {
  return new Map(catalog.contexts.flatMap((context) => context.events.map((event) => [`${context.name}/${event.name}`, event] as const)));
}

/**
 * Compares every event version of `base` (the catalog at `ref`) with `head` (the working
 * catalog). An edit is detected on the resolved schema, so a released version that changes
 * through a shared `$ref` target counts as edited too.
 */
export function compareRevisions(ref: string, base: CatalogModel, head: CatalogModel, catalogDir = "schemas"): RevisionComparison {
  const before = eventsOf(base);
  const after = eventsOf(head);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const events: EventRevision[] = [];
  const problems: CheckProblem[] = [];
  for (const name of names) {
    const old = new Map((before.get(name)?.versions ?? []).map((v) => [v.version, v] as const));
    const next = new Map((after.get(name)?.versions ?? []).map((v) => [v.version, v] as const));
    const numbers = [...new Set([...old.keys(), ...next.keys()])].sort((a, b) => a - b);
    const versions: VersionRevision[] = [];
    for (const number of numbers) {
      const a: EventVersionModel | undefined = old.get(number);
      const b: EventVersionModel | undefined = next.get(number);
      const released = a?.released === true || b?.released === true;
      if (a === undefined && b !== undefined) versions.push({ version: number, status: "added", released, changes: [] });
      else if (a !== undefined && b === undefined) {
        versions.push({ version: number, status: "removed", released, changes: [] });
        if (released) {
          problems.push({ code: "released-version-deleted", event: name, file: `${catalogDir}/${a.file}`, pointer: "", message: `released version v${number} exists at ${ref} but not in the working tree; released versions are immutable — restore it` });
        }
      } else if (a !== undefined && b !== undefined && canonicalJson(a.resolved) !== canonicalJson(b.resolved)) {
        const changes = diffVersions(a, b);
        versions.push({ version: number, status: "edited", released, changes });
        if (released) {
          const first = changes[0];
          const where = first === undefined ? "" : `${first.pointer || "(event)"}: ${first.detail}; `;
          problems.push({
            code: "released-version-edited",
            event: name,
            file: `${catalogDir}/${b.file}`,
            pointer: first === undefined ? "" : schemaPointerOf(first.pointer),
            message: `released version v${number} differs from ${ref} (${where}${changes.length} change(s)); released versions are immutable — restore it and add a new version with \`strata new-version ${name}\``,
          });
        }
      }
    }
    if (versions.length > 0) events.push({ event: name, versions });
  }
  return { ref, events, problems };
}
