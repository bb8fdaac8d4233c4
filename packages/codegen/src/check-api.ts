/**
 * `@strata/codegen/check`: what `strata check` needs and nothing more — the catalog loader, the
 * inclusion engine's verdicts, upcaster checks, reports. It leaves out the emitters (ts-morph,
 * json-schema-to-typescript), so a check starts in a fraction of the time codegen takes.
 *
 * @example
 * ```ts
 * import { checkCatalog, formatCheckReport, loadCatalog } from "@strata/codegen/check";
 *
 * const report = await checkCatalog(await loadCatalog({ root: "schemas" }));
 * process.stdout.write(formatCheckReport(report));
 * ```
 *
 * @packageDocumentation
 */
export { loadCatalog } from "./load/load-catalog.js";
export type { LoadCatalogOptions } from "./load/load-catalog.js";
export type { ValidationMemo } from "./load/validation-memo.js";
export { ValidationMemoFile, VALIDATION_MEMO_FILE } from "./check/validation-memo-file.js";
export { isCatalogError } from "./errors.js";
export type { CatalogProblem } from "./errors.js";
export type { CatalogModel, CompatibilityMode } from "./model/catalog-model.js";
export { checkCatalog } from "./check/check-catalog.js";
export type { CatalogCheckReport, CheckCatalogOptions } from "./check/check-catalog.js";
export type { EventCompatibility, PairReport, StepReport } from "./check/check-compatibility.js";
export type { DirectionEvidence, PairVerdict } from "./check/judge-pair.js";
export type { Witness } from "./inclusion/judge-inclusion.js";
export { CHECK_PROBLEM_CODES } from "./check/check-problem.js";
export type { CheckProblem, CheckProblemCode } from "./check/check-problem.js";
export { compareRevisions } from "./check/compare-revisions.js";
export type { EventRevision, RevisionComparison, VersionRevision } from "./check/compare-revisions.js";
export { isRevisionReadError, withCatalogAtRevision } from "./check/read-catalog-at-revision.js";
export { planChangesets } from "./check/plan-changeset.js";
export type { PlannedChangeset } from "./check/plan-changeset.js";
export { formatCheckReport, formatProblems } from "./check/format-check-report.js";
export { locateEdit } from "./check/locate-edit.js";
export { judgeInclusion } from "./inclusion/judge-inclusion.js";
export type { InclusionVerdict } from "./inclusion/judge-inclusion.js";
