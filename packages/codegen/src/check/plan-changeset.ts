/**
 * `strata check --changeset`: the changeset a release of schema changes needs, one per events
 * package with unreleased versions — `minor` for additive versions, `major` when a new version
 * breaks FORWARD compatibility (readers built against the previous release cannot read it).
 */
import { createHash } from "node:crypto";

import type { CatalogModel } from "../model/catalog-model.js";
import type { CatalogCheckReport } from "./check-catalog.js";

/** One changeset file to write. */
export interface PlannedChangeset {
  /** npm name of the events package. */
  readonly package: string;
  readonly bump: "minor" | "major";
  /** File name inside `.changeset/`, stable for the same set of changes: `banking-events-schemas-1a2b3c4d.md`. */
  readonly fileName: string;
  /** The changeset: frontmatter with the bump, then one user-facing sentence. */
  readonly content: string;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** Plans the changesets for the unreleased versions of `catalog`, judged by `report`. */
export function planChangesets(catalog: CatalogModel, report: CatalogCheckReport): PlannedChangeset[] {
  const planned: PlannedChangeset[] = [];
  for (const context of catalog.contexts) {
    const additions: string[] = [];
    const breaking: string[] = [];
    for (const event of context.events) {
      const verdicts = report.events.find((entry) => entry.context === context.name && entry.event === event.name);
      // An event type released for the first time is additive as a whole: nobody reads it yet.
      if (event.versions[0]?.released === false) {
        additions.push(`${event.name} (new event type)`);
        continue;
      }
      for (const version of event.versions.filter((v) => !v.released)) {
        const pair = verdicts?.pairs.find((p) => p.from === version.version - 1 && p.to === version.version);
        if (pair?.forward === "compatible") additions.push(`${event.name} v${version.version}`);
        else breaking.push(`${event.name} v${version.version}`);
      }
    }
    if (additions.length + breaking.length === 0) continue;
    const bump = breaking.length > 0 ? "major" : "minor";
    const parts: string[] = [];
    if (breaking.length > 0) parts.push(`${list(breaking)}, which readers built against the previous release cannot read (upgrade consumers before producers)`);
    if (additions.length > 0) parts.push(list(additions));
    const sentence = `Adds the ${context.name} event schemas ${parts.join("; and ")}, with upcasters that bring stored events to the latest version.`;
    const content = `---\n${JSON.stringify(context.config.package)}: ${bump}\n---\n\n${sentence}\n`;
    const digest = createHash("sha256").update(content).digest("hex").slice(0, 8);
    const stem = context.config.package.replace(/^@[^/]+\//, "").replace(/[^a-z0-9-]+/gi, "-");
    planned.push({ package: context.config.package, bump, fileName: `${stem}-schemas-${digest}.md`, content });
  }
  return planned;
}
