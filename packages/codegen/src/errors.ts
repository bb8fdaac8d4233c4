/**
 * The error types of `@strata/codegen`. Every error carries a stable string `code`; use the
 * guards (which check the code and a cross-copy marker, not only `instanceof`) to branch on them.
 */
import type { CatalogProblemCode } from "./load/problem-codes.js";

const MARKER = Symbol.for("@strata/codegen/error");

/** Base class of every error thrown by `@strata/codegen`. */
export class StrataCodegenError extends Error {
  /** Stable machine-readable code, e.g. `STRATA_CATALOG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    // A registry-wide symbol, not `instanceof`, identifies the family across two installed copies.
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }
}

/** True for any error thrown by `@strata/codegen`, even from another installed copy. */
export function isStrataCodegenError(error: unknown): error is StrataCodegenError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[MARKER] === true &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/** One thing wrong with the schema catalog. */
export interface CatalogProblem {
  /** Stable code, see {@link CATALOG_PROBLEM_CODES}. */
  readonly code: CatalogProblemCode;
  /** Path relative to the repository root, forward slashes: `schemas/banking/MoneyDeposited/v1.json`. */
  readonly file: string;
  /** JSON Pointer to the offending value inside `file`; `""` for the whole file. */
  readonly pointer: string;
  /** What is wrong and what to do about it. Never contains event data. */
  readonly message: string;
}

/** Code of {@link CatalogError}. */
export const CATALOG_ERROR_CODE = "STRATA_CATALOG_INVALID";

/**
 * The schema catalog cannot be loaded. `problems` lists every problem found (not just the
 * first), sorted by file and pointer; the message has one line per problem: `file#pointer: message`.
 */
export class CatalogError extends StrataCodegenError {
  readonly problems: readonly CatalogProblem[];

  constructor(problems: readonly CatalogProblem[], options?: ErrorOptions) {
    const lines = problems.map((p) => `  ${p.file}#${p.pointer}: ${p.message}`);
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(CATALOG_ERROR_CODE, `The schema catalog has ${count}:\n${lines.join("\n")}`, options);
    this.problems = problems;
  }
}

/** True when `error` is a {@link CatalogError} (checked by code, so it works across copies). */
export function isCatalogError(error: unknown): error is CatalogError {
  return (
    isStrataCodegenError(error) &&
    error.code === CATALOG_ERROR_CODE &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}

/** Code of {@link LockFileError}. */
export const LOCK_FILE_ERROR_CODE = "STRATA_LOCK_INVALID";

/** `schemas/strata.lock.json` exists but cannot be read as a lock file. */
export class LockFileError extends StrataCodegenError {
  /** The lock file, relative to the repository root. */
  readonly file: string;

  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(LOCK_FILE_ERROR_CODE, `${file}: ${detail}`, options);
    this.file = file;
  }
}

/** True when `error` is a {@link LockFileError}. */
export function isLockFileError(error: unknown): error is LockFileError {
  return isStrataCodegenError(error) && error.code === LOCK_FILE_ERROR_CODE;
}
