/**
 * `@strata/codegen`: turns a catalog of versioned JSON Schemas into typed event packages.
 *
 * @packageDocumentation
 */
export { COMPATIBILITY_MODES } from "./model/catalog-model.js";

// Load stage: the schema catalog, its problems, and the lock of released versions.
export { loadCatalog } from "./load/load-catalog.js";
export type { LoadCatalogOptions } from "./load/load-catalog.js";
export { findUnsupportedKeywords } from "./load/keyword-check.js";
export type { UnsupportedKeyword } from "./load/keyword-check.js";
export { CATALOG_PROBLEM_CODES } from "./load/problem-codes.js";
export type { CatalogProblemCode } from "./load/problem-codes.js";
export {
  CATALOG_ERROR_CODE,
  CatalogError,
  LOCK_FILE_ERROR_CODE,
  LockFileError,
  StrataCodegenError,
  isCatalogError,
  isLockFileError,
  isStrataCodegenError,
} from "./errors.js";
export type { CatalogProblem } from "./errors.js";
export { LOCK_FILE_NAME, readLock } from "./lock/lock-file.js";
export type { LockFile } from "./lock/lock-file.js";
export { recordRelease } from "./lock/record-release.js";
export type { ReleaseRecord } from "./lock/record-release.js";
export { contentHash } from "./lock/content-hash.js";
export type {
  CatalogModel,
  CompatibilityMode,
  ContextConfig,
  ContextModel,
  EventTypeModel,
  EventVersionModel,
  JsonSchema,
  JsonSchemaObject,
  JsonValue,
  PiiField,
} from "./model/catalog-model.js";

// Schema evolution: diff engine, upcaster planning, compatibility checks (`strata check`).
export { CHANGE_KINDS } from "./diff/schema-change.js";
export type { ChangeKind, SchemaChange, Verdict } from "./diff/schema-change.js";
export { diffSchemas } from "./diff/diff-schemas.js";
export type { DiffOptions } from "./diff/diff-schemas.js";
export { diffVersions } from "./diff/diff-versions.js";
export { explainUpcasters, handWrittenStep, planUpcasters } from "./upcasters/plan.js";
export type { ExplainedStepPlan } from "./upcasters/plan.js";
export { UNFILLED_UPCASTER_MARKER, expectedUpcaster, scaffoldUpcasterSource } from "./upcasters/scaffold.js";
export type { ExpectedUpcaster } from "./upcasters/scaffold.js";
export { inspectHandWrittenUpcaster, inspectUpcasterSource } from "./upcasters/inspect-upcaster.js";
export type { UpcasterInspection } from "./upcasters/inspect-upcaster.js";
export { modeRules } from "./check/compatibility-mode.js";
export type { ModeRules } from "./check/compatibility-mode.js";
export { CHECK_PROBLEM_CODES } from "./check/check-problem.js";
export type { CheckProblem, CheckProblemCode } from "./check/check-problem.js";
export { checkCompatibility } from "./check/check-compatibility.js";
export type { DirectionEvidence, PairVerdict } from "./check/judge-pair.js";
export { judgeInclusion } from "./inclusion/judge-inclusion.js";
export type { InclusionVerdict, Witness } from "./inclusion/judge-inclusion.js";
export type { CompatibilityOptions, EventCompatibility, PairReport, StepReport } from "./check/check-compatibility.js";
export { checkCatalog } from "./check/check-catalog.js";
export type { CatalogCheckReport, CheckCatalogOptions } from "./check/check-catalog.js";
export { compareRevisions } from "./check/compare-revisions.js";
export type { EventRevision, RevisionComparison, VersionRevision } from "./check/compare-revisions.js";
export { REVISION_READ_ERROR_CODE, RevisionReadError, isRevisionReadError, withCatalogAtRevision } from "./check/read-catalog-at-revision.js";
export { planChangesets } from "./check/plan-changeset.js";
export type { PlannedChangeset } from "./check/plan-changeset.js";
export { formatCheckReport, formatProblems } from "./check/format-check-report.js";
export { firstDifference, locateEdit } from "./check/locate-edit.js";

// Pipeline: `strata codegen` as a library (load → model → emit → write).
export { DEFAULT_STAGES, runCodegen, watchCodegen } from "./pipeline/run-codegen.js";
export { runCodegenWith } from "./pipeline/run-codegen-with.js";
export { watchCodegenWith } from "./pipeline/watch-codegen.js";
export type { WatchOptions, WatchRun } from "./pipeline/watch-codegen.js";
export { DEFAULT_DEPENDENCY_RANGES } from "./pipeline/codegen-options.js";
export type { CodegenOptions } from "./pipeline/codegen-options.js";
export type { CodegenProgress, CodegenResult, DriftEntry } from "./pipeline/codegen-result.js";
export type { CodegenStages } from "./pipeline/codegen-stages.js";
export type { DependencyRanges } from "./emit/emit-package-scaffold.js";
export { CodegenEmitError, EMIT_ERROR_CODE, isCodegenEmitError } from "./emit/emit-error.js";
export { PACKAGE_JSON_ERROR_CODE, PackageJsonError, isPackageJsonError } from "./write/package-json.js";

// Zod validators emitted as code, with JSON Schema 2020-12 semantics.
export { emitZodExpression, printHelperDeclarations, printZodExpression, printZodParts } from "./emit/zod/emit-zod.js";
export type { PrintedZod, ZodEmitOptions } from "./emit/zod/emit-zod.js";
export type { HelperName } from "./emit/zod/runtime-helpers.js";
export type { ZodPrinter } from "./emit/emit-event-module.js";
export { ZOD_EMIT_ERROR_CODE, ZOD_EMIT_REASONS, ZodEmitError, isZodEmitError } from "./emit/zod/zod-emit-error.js";
export type { ZodEmitReason } from "./emit/zod/zod-emit-error.js";
export type { CodegenWarning, Leftover } from "./pipeline/codegen-result.js";
