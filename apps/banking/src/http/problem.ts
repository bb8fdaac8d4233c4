/**
 * RFC 9457 problem details: every error response of the API has this body, with content type
 * `application/problem+json`. Details name fields, ids and versions, never personal data.
 *
 * @module
 */
import { z } from "zod";

/** The media type of problem responses. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** One invalid request field: where it is, its JSON path, and what is wrong (no value quoted). */
export const invalidParamSchema = z.object({
  in: z.enum(["body", "query", "path", "header"]),
  name: z.string().describe("Dotted path of the field, e.g. `address.postalCode`."),
  reason: z.string(),
});

/** A problem details body. Extension members vary by `type`. */
export const problemSchema = z
  .object({
    type: z.string().describe("A URI naming the kind of problem, e.g. `https://strata.dev/problems/insufficient_funds`."),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().describe("Stable, machine-readable code."),
    "invalid-params": z.array(invalidParamSchema).optional(),
    expectedVersion: z.union([z.number(), z.string()]).optional(),
    actualVersion: z.number().optional(),
  })
  .loose();

/** A problem details body. */
export type Problem = z.infer<typeof problemSchema>;
/** One invalid request field. */
export type InvalidParam = z.infer<typeof invalidParamSchema>;

/** Builds a problem body; `code` also names the type URI. */
export function problem(status: number, code: string, title: string, detail: string, extensions: Readonly<Record<string, unknown>> = {}): Problem {
  return { type: `https://strata.dev/problems/${code}`, title, status, detail, code, ...extensions };
}

/** A request that failed validation (HTTP 400), listing every invalid field. */
export class RequestValidationError extends Error {
  readonly code = "REQUEST_VALIDATION";
  readonly issues: readonly InvalidParam[];

  constructor(issues: readonly InvalidParam[]) {
    super(`The request has ${issues.length} invalid field(s): ${issues.map((issue) => `${issue.in} ${issue.name}`).join(", ")}.`);
    this.name = "RequestValidationError";
    this.issues = issues;
  }
}

/** True when `error` is a {@link RequestValidationError} (checked by `code`). */
export function isRequestValidationError(error: unknown): error is RequestValidationError {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "REQUEST_VALIDATION";
}

/** Zod issues as invalid params. Messages of the generated validators carry no input values. */
export function toInvalidParams(where: InvalidParam["in"], issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  return issues.map((issue) => ({ in: where, name: issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."), reason: issue.message }));
}
