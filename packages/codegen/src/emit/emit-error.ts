/**
 * The emit stage's error: a schema (or a plan derived from it) could not be turned into code.
 * Names the schema file and what was being emitted; the underlying error is the `cause`.
 */
import { isStrataCodegenError, StrataCodegenError } from "../errors.js";

/** Code of {@link CodegenEmitError}. */
export const EMIT_ERROR_CODE = "STRATA_CODEGEN_EMIT";

/** A schema could not be turned into code; `file` names it, `cause` says why. Nothing was written. */
export class CodegenEmitError extends StrataCodegenError {
  /** The schema file at fault, repo-relative, or the event type (`context/Event`) when no single file is. */
  readonly file: string;

  constructor(file: string, what: string, options?: ErrorOptions) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(EMIT_ERROR_CODE, `${file}: cannot emit ${what}${detail}`, options);
    this.file = file;
  }
}

/** True when `error` is a {@link CodegenEmitError} (checked by code). */
export function isCodegenEmitError(error: unknown): error is CodegenEmitError {
  return isStrataCodegenError(error) && error.code === EMIT_ERROR_CODE;
}

/** Runs `emit`, turning any failure into a {@link CodegenEmitError} about `file`. */
export function emitting<T>(file: string, what: string, emit: () => T): T {
  try {
    return emit();
  } catch (error) {
    if (isCodegenEmitError(error)) throw error;
    throw new CodegenEmitError(file, what, { cause: error });
  }
}
