/**
 * One codegen run in explicit stages: load (catalog → model), emit (model → files in memory),
 * plan (compare with disk), then write — or, for `--check`, report. Nothing is written unless
 * every stage before the write succeeded. Leftovers (stale packages, unused upcasters) are
 * reported, never deleted; hand-written upcasters that are unfilled or mistyped are warnings.
 */
import path from "node:path";

import { createEmitProject } from "../emit/emit-project.js";
import { emitContextPackage } from "../emit/emit-context-package.js";
import type { PackageOutput } from "../emit/package-file.js";
import { applyChanges } from "../write/apply-changes.js";
import { findLeftovers } from "../write/find-leftovers.js";
import type { Leftover } from "../write/find-leftovers.js";
import { planPackageChanges } from "../write/plan-changes.js";
import type { PackageChanges } from "../write/plan-changes.js";
import type { CodegenOptions } from "./codegen-options.js";
import { DEFAULT_DEPENDENCY_RANGES } from "./codegen-options.js";
import type { CodegenResult, DriftEntry } from "./codegen-result.js";
import type { CodegenStages } from "./codegen-stages.js";
import { inspectIntegerBounds } from "./inspect-integer-bounds.js";
import { inspectUpcasters } from "./inspect-upcasters.js";

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

function summarise(
  changes: readonly PackageChanges[],
  leftovers: readonly Leftover[],
  check: boolean,
): Pick<CodegenResult, "drift" | "written" | "unchanged" | "stale" | "leftovers"> {
  const drift: DriftEntry[] = [];
  const written: string[] = [];
  const unchanged: string[] = [];
  const stale: string[] = [];
  for (const pkg of changes) {
    const at = (file: string): string => `${pkg.directory}/${file}`;
    for (const file of [...pkg.others, ...pkg.generated]) {
      if (file.status === "unchanged") {
        unchanged.push(at(file.path));
        continue;
      }
      drift.push({ path: at(file.path), kind: file.status === "create" ? "missing" : "changed" });
      if (!check) written.push(at(file.path));
    }
    for (const file of pkg.stale) {
      drift.push({ path: at(file), kind: "stale" });
      stale.push(at(file));
    }
  }
  for (const leftover of leftovers) drift.push({ path: leftover.path, kind: leftover.kind });
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { drift: drift.sort(byPath), written: written.sort(), unchanged: unchanged.sort(), stale: stale.sort(), leftovers };
}

/** Runs codegen with the given stages. See {@link runCodegen}. */
export async function runCodegenWith(stages: CodegenStages, options: CodegenOptions): Promise<CodegenResult> {
  const repoRoot = path.resolve(options.repoRoot);
  const schemasDir = path.resolve(repoRoot, options.schemasDir ?? "schemas");
  const catalog = await stages.loadCatalog({ root: schemasDir });
  const catalogDir = toPosix(path.relative(repoRoot, catalog.root)) || ".";
  const total = catalog.contexts.reduce((sum, context) => sum + context.events.length, 0);

  const project = createEmitProject();
  const outputs: PackageOutput[] = [];
  let done = 0;
  for (const context of catalog.contexts) {
    outputs.push(
      await emitContextPackage(context, {
        project,
        printZod: stages.printZod,
        planUpcasters: stages.planUpcasters,
        scaffoldUpcaster: stages.scaffoldUpcaster,
        catalogDir,
        ranges: options.dependencyRanges ?? DEFAULT_DEPENDENCY_RANGES,
        onEvent: (event) => {
          done += 1;
          options.onProgress?.({ context: context.name, event: event.name, done, total });
        },
      }),
    );
  }

  const changes = await Promise.all(outputs.map((output) => planPackageChanges(repoRoot, output)));
  const leftovers = await findLeftovers(repoRoot, catalogDir, outputs);
  const check = options.check ?? false;
  if (!check) await applyChanges(changes);
  // After writing, so a scaffold created by this run is inspected (and warned about) too.
  const warnings = [...(await inspectUpcasters(repoRoot, outputs)), ...inspectIntegerBounds(catalog, catalogDir)];
  return {
    check,
    contexts: catalog.contexts.map((context) => context.name),
    eventCount: total,
    ...summarise(changes, leftovers, check),
    warnings,
  };
}
