/**
 * The answer to "does every instance of A satisfy B?": yes, or no with candidate witnesses
 * (instances believed to be in A and not in B, verified with a real validator before anyone
 * sees them), or undecided with the reason.
 */
import { appendPointer } from "../load/json-pointer.js";
import type { JsonValue } from "../model/catalog-model.js";

/** An instance believed to be accepted by A and rejected by B, and where B rejects it. */
export interface Candidate {
  readonly value: JsonValue;
  readonly pointer: string;
}

/** The result of one inclusion question. */
export type Inclusion =
  | { readonly holds: true }
  | {
      readonly holds: false;
      /** False when the engine could not decide (the reason says why). */
      readonly decided: boolean;
      readonly reason: string;
      readonly candidates: readonly Candidate[];
    };

/** Inclusion proved. */
export const HOLDS: Inclusion = { holds: true };

/** Inclusion refuted, with the instances that show it. */
export function fails(reason: string, candidates: readonly (Candidate | undefined)[] = []): Inclusion {
  return { holds: false, decided: true, reason, candidates: candidates.filter((c): c is Candidate => c !== undefined) };
}

/** Inclusion undecided: the engine cannot tell (a documented limit). */
export function undecided(reason: string, candidates: readonly Candidate[] = []): Inclusion {
  return { holds: false, decided: false, reason, candidates };
}

/** A candidate at the root of the data. */
export function candidate(value: JsonValue | undefined, pointer = ""): Candidate | undefined {
  return value === undefined ? undefined : { value, pointer };
}

/** All of `checks` hold (evaluated lazily; the first failure is returned). */
export function every(checks: Iterable<() => Inclusion>): Inclusion {
  for (const check of checks) {
    const result = check();
    if (!result.holds) return result;
  }
  return HOLDS;
}

/**
 * All of `checks` hold; unlike {@link every}, a failure does not stop the others, so that an
 * undecided check does not hide a decided one, and all their candidates are kept.
 */
export function all(checks: Iterable<() => Inclusion>): Inclusion {
  const failures: Extract<Inclusion, { holds: false }>[] = [];
  for (const check of checks) {
    const result = check();
    if (!result.holds) failures.push(result);
  }
  const first = failures.find((failure) => failure.decided) ?? failures[0];
  if (first === undefined) return HOLDS;
  return { ...first, candidates: [first, ...failures.filter((f) => f !== first)].flatMap((f) => f.candidates).slice(0, 12) };
}

/** Wraps the candidates of a failed check found below `segment` with `wrap`. */
export function within(result: Inclusion, segment: string, wrap: (child: JsonValue) => JsonValue | undefined): Inclusion {
  if (result.holds) return result;
  const candidates = result.candidates.flatMap((c) => {
    const value = wrap(c.value);
    return value === undefined ? [] : [{ value, pointer: appendPointer("", segment) + c.pointer }];
  });
  return { ...result, reason: `at /${segment}: ${result.reason}`, candidates };
}
