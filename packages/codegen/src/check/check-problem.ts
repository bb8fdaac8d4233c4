/**
 * What `strata check` can find wrong, with stable codes that tools may branch on.
 */

/** Every problem code of `strata check`, with its meaning (docs/schema-evolution.md lists them). */
export const CHECK_PROBLEM_CODES = {
  "upcaster-missing": "A step needs a hand-written upcaster and its file or export does not exist.",
  "upcaster-unfilled": "A hand-written upcaster is still the scaffold: its body only throws.",
  "upcaster-wrong-signature": "A hand-written upcaster's signature is not (data: V<N>, context: UpcastContext) => V<N+1>.",
  "released-version-edited": "A released version's schema changed (in the file, or through a `$ref` target).",
  "released-version-deleted": "A released version no longer exists.",
  "mode-violated": "A change breaks the direction that the context's compatibility mode protects (the message shows a witness event).",
  "compatibility-undecidable": "The engine cannot decide a direction the mode protects (a change kind documented as undecidable): review it by hand.",
} as const;

/** One of {@link CHECK_PROBLEM_CODES}. */
export type CheckProblemCode = keyof typeof CHECK_PROBLEM_CODES;

/** One reason `strata check` fails. */
export interface CheckProblem {
  readonly code: CheckProblemCode;
  /** `banking/MoneyDeposited`. */
  readonly event: string;
  /** The file at fault, relative to the repository root (a schema or a hand-written upcaster). */
  readonly file: string;
  /** JSON Pointer into `file` (`""` for the whole file). */
  readonly pointer: string;
  /** What is wrong and what to do; never contains event data. */
  readonly message: string;
}

/** `/a/*\/b` (a data pointer) → `/properties/a/items/properties/b` (where it is declared). */
export function schemaPointerOf(dataPointer: string): string {
  if (dataPointer === "") return "";
  return dataPointer
    .slice(1)
    .split("/")
    .map((segment) => (segment === "*" ? "/items" : /^[0-9]+$/.test(segment) ? `/prefixItems/${segment}` : `/properties/${segment}`))
    .join("");
}
