/**
 * `strata check` as a library call: every event type of the catalog judged under its context's
 * mode, with its upcaster files inspected on disk.
 */
import { join, relative } from "node:path";

import type { CatalogModel, ContextModel } from "../model/catalog-model.js";
import { expectedUpcaster } from "../upcasters/expected-upcaster.js";
import type { UpcasterInspection } from "../upcasters/inspect-upcaster.js";
import { explainUpcasters } from "../upcasters/plan.js";
import { InspectionCache } from "./cached-inspection.js";
import type { EventCompatibility } from "./check-compatibility.js";
import { checkCompatibility } from "./check-compatibility.js";
import type { CheckProblem } from "./check-problem.js";

/** The result of checking a catalog. */
export interface CatalogCheckReport {
  /** True when `problems` is empty. */
  readonly ok: boolean;
  readonly events: readonly EventCompatibility[];
  /** Every problem, in catalog order (context, event type, then as found). */
  readonly problems: readonly CheckProblem[];
}

/** Options of {@link checkCatalog}. */
export interface CheckCatalogOptions {
  /** The repository root: context.json `directory` values are relative to it. Default: the catalog's parent folder. */
  readonly repoRoot?: string;
}

async function checkContext(context: ContextModel, repoRoot: string, catalogDir: string, cache: InspectionCache): Promise<EventCompatibility[]> {
  const results: EventCompatibility[] = [];
  for (const event of context.events) {
    const explained = explainUpcasters(event);
    const inspections = new Map<string, UpcasterInspection>();
    for (const { plan } of explained) {
      if (plan.kind !== "hand-written") continue;
      const path = join(repoRoot, context.config.directory, "src", plan.file);
      inspections.set(plan.file, await cache.inspect(path, expectedUpcaster(plan)));
    }
    const plans = explained.map((step) => step.plan);
    results.push(checkCompatibility(event, context.config.compatibility, plans, { catalogDir, packageDirectory: context.config.directory, inspections }));
  }
  return results;
}

/**
 * Checks every event type of `catalog`: the changes between its versions, the verdict under
 * its context's compatibility mode, and its upcasters (a step that cannot be derived needs a
 * hand-written file that exports the expected function and is no longer the scaffold).
 * Released-version edits are refused earlier, by `loadCatalog`.
 */
export async function checkCatalog(catalog: CatalogModel, options: CheckCatalogOptions = {}): Promise<CatalogCheckReport> {
  const repoRoot = options.repoRoot ?? join(catalog.root, "..");
  const catalogDir = relative(repoRoot, catalog.root).split("\\").join("/") || ".";
  const events: EventCompatibility[] = [];
  const cache = await InspectionCache.open(repoRoot);
  for (const context of catalog.contexts) events.push(...(await checkContext(context, repoRoot, catalogDir, cache)));
  await cache.save();
  const problems = events.flatMap((event) => event.problems);
  return { ok: problems.length === 0, events, problems };
}
