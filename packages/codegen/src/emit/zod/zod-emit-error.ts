/**
 * The error the zod emitter throws when a schema cannot be turned into an exact validator. The
 * loader refuses such schemas first; this is the emitter's own guard so that a schema is never
 * validated by rules it did not ask for.
 */
import { StrataCodegenError, isStrataCodegenError } from "../../errors.js";

/** Code of {@link ZodEmitError}. */
export const ZOD_EMIT_ERROR_CODE = "STRATA_ZOD_EMIT_REFUSED";

/** Why the emitter refused a schema (stable strings). */
export const ZOD_EMIT_REASONS = [
  "unsupported-keyword",
  "unsupported-format",
  "invalid-keyword-value",
  "invalid-pattern",
  "ref-outside-document",
  "unresolved-ref",
  "circular-ref",
] as const;

/** A stable reason of {@link ZodEmitError}. */
export type ZodEmitReason = (typeof ZOD_EMIT_REASONS)[number];

/** Thrown by `emitZodExpression` for a schema it cannot validate exactly. */
export class ZodEmitError extends StrataCodegenError {
  readonly reason: ZodEmitReason;
  /** JSON Pointer (from the emitted schema's root) of the schema at fault; `""` for the root. */
  readonly pointer: string;

  constructor(reason: ZodEmitReason, pointer: string, message: string, options?: ErrorOptions) {
    super(ZOD_EMIT_ERROR_CODE, `${message} (at ${pointer === "" ? "/" : pointer})`, options);
    this.reason = reason;
    this.pointer = pointer;
  }
}

/** True for a {@link ZodEmitError} (checked by code, so it works across two installed copies). */
export function isZodEmitError(error: unknown): error is ZodEmitError {
  return isStrataCodegenError(error) && error.code === ZOD_EMIT_ERROR_CODE && typeof (error as { reason?: unknown }).reason === "string";
}
