/**
 * `runCodegen`: the code generator with its real stages — the catalog loader, the zod emitter
 * and the upcaster planner.
 */
import { printZodParts } from "../emit/zod/emit-zod.js";
import { loadCatalog } from "../load/load-catalog.js";
import type { EventTypeModel } from "../model/catalog-model.js";
import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";
import { explainUpcasters, planUpcasters } from "../upcasters/plan.js";
import { scaffoldUpcasterSource } from "../upcasters/scaffold.js";
import type { CodegenOptions } from "./codegen-options.js";
import type { CodegenResult } from "./codegen-result.js";
import type { CodegenStages } from "./codegen-stages.js";
import { runCodegenWith } from "./run-codegen-with.js";
import { watchCodegenWith } from "./watch-codegen.js";
import type { WatchOptions } from "./watch-codegen.js";

/** A scaffold whose doc comment lists the schema changes the step must bridge. */
function scaffoldUpcaster(event: EventTypeModel, step: HandWrittenUpcasterStep): string {
  const changes = explainUpcasters(event).find((explained) => explained.plan.from === step.from)?.changes ?? [];
  return scaffoldUpcasterSource(step, changes);
}

/** The stages `runCodegen` uses. */
// Event validators also refuse what the store cannot hold (see `ZodEmitOptions.storable`).
export const DEFAULT_STAGES: CodegenStages = { loadCatalog, printZod: (schema) => printZodParts(schema, { storable: true }), planUpcasters, scaffoldUpcaster };

/**
 * Generates every context's events package from the catalog: load → model → emit → write.
 * With `check: true` nothing is written and `drift` lists every file that is missing, differs
 * or is stale. Nothing is written either when any stage fails (an invalid catalog throws
 * `CatalogError` with every problem).
 *
 * @example
 * ```ts
 * const result = await runCodegen({ repoRoot: process.cwd(), check: true });
 * if (result.drift.length > 0) process.exitCode = 1;
 * ```
 */
export function runCodegen(options: CodegenOptions): Promise<CodegenResult> {
  return runCodegenWith(DEFAULT_STAGES, options);
}

/**
 * Runs {@link runCodegen} now and after every change under the catalog folder, until
 * `options.signal` aborts. Failed runs are reported through `onRun`; watching continues.
 */
export function watchCodegen(options: WatchOptions): Promise<void> {
  return watchCodegenWith(runCodegen, options);
}
