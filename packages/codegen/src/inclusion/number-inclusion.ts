/**
 * Numbers: bounds (inclusive and exclusive as one interval; for integers `> 0` is `>= 1`) and
 * `multipleOf`. `A ⊆ B` when A's interval lies inside B's and every `multipleOf` of B divides
 * one of A's (for integers, `multipleOf: 1` and its divisors hold for free).
 */
import type { Inclusion } from "./inclusion.js";
import { HOLDS, candidate, fails } from "./inclusion.js";
import type { Kind, SchemaNode } from "./schema-node.js";
import { numbersOf } from "./schema-node.js";

interface Interval {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
}

function intervalOf(members: readonly SchemaNode[], kind: Kind): Interval {
  let lo = -Infinity;
  let loOpen = false;
  let hi = Infinity;
  let hiOpen = false;
  for (const value of numbersOf(members, "minimum")) if (value > lo) [lo, loOpen] = [value, false];
  for (const value of numbersOf(members, "exclusiveMinimum")) if (value >= lo) [lo, loOpen] = [value, true];
  for (const value of numbersOf(members, "maximum")) if (value < hi) [hi, hiOpen] = [value, false];
  for (const value of numbersOf(members, "exclusiveMaximum")) if (value <= hi) [hi, hiOpen] = [value, true];
  if (kind !== "integer") return { lo, loOpen, hi, hiOpen };
  const intLo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
  const intHi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
  return { lo: intLo, loOpen: false, hi: intHi, hiOpen: false };
}

/** True when `a` is an integer multiple of `b` (within floating-point noise). */
export function isMultiple(a: number, b: number): boolean {
  const ratio = a / b;
  return Number.isFinite(ratio) && Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

/** True when `value` is of `kind` and satisfies every numeric keyword of `members`. */
export function numberFits(members: readonly SchemaNode[], kind: Kind, value: number): boolean {
  if (!Number.isFinite(value) || (kind === "integer") !== Number.isInteger(value)) return false;
  const i = intervalOf(members, kind);
  const aboveLo = i.loOpen ? value > i.lo : value >= i.lo;
  const belowHi = i.hiOpen ? value < i.hi : value <= i.hi;
  return aboveLo && belowHi && numbersOf(members, "multipleOf").every((m) => isMultiple(value, m));
}

function isEmpty(i: Interval): boolean {
  return i.lo > i.hi || (i.lo === i.hi && (i.loOpen || i.hiOpen));
}

/** Values worth trying as a number of `kind` satisfying `members` (boundaries, multiples, small numbers). */
export function numberProbes(members: readonly SchemaNode[], kind: Kind, around: readonly SchemaNode[] = []): number[] {
  const points = [0, 1, -1, 2, -2, 10, -10, 1e6, -1e6];
  for (const source of [members, around]) {
    const i = intervalOf(source, kind);
    points.push(...[i.lo, i.hi].filter(Number.isFinite));
  }
  const steps = [1, 0.5, 0.25, 0.1, ...numbersOf(members, "multipleOf"), ...numbersOf(around, "multipleOf")];
  const probes = new Set<number>();
  for (const point of points) {
    for (const step of steps) {
      for (const k of [-2, -1, 0, 1, 2]) probes.add(point + k * step);
      probes.add(Math.round(point / step) * step);
      probes.add(Math.ceil(point / step) * step);
      probes.add(Math.floor(point / step) * step);
    }
  }
  for (const step of numbersOf(members, "multipleOf")) for (const base of [...probes]) probes.add(Math.round(base / step) * step);
  return [...probes].filter((value) => numberFits(members, kind, value)).sort((a, b) => Math.abs(a) - Math.abs(b));
}

/** `A ⊆ B` for the numbers of `kind` (`integer` or `fraction`). */
export function numberInclusion(a: readonly SchemaNode[], b: readonly SchemaNode[], kind: Kind): Inclusion {
  const ia = intervalOf(a, kind);
  if (isEmpty(ia)) return HOLDS;
  const ib = intervalOf(b, kind);
  const loInside = ia.lo > ib.lo || (ia.lo === ib.lo && (ia.loOpen || !ib.loOpen));
  const hiInside = ia.hi < ib.hi || (ia.hi === ib.hi && (ia.hiOpen || !ib.hiOpen));
  const multiplesA = numbersOf(a, "multipleOf");
  const divides = numbersOf(b, "multipleOf").every((m) => multiplesA.some((own) => isMultiple(own, m)) || (kind === "integer" && isMultiple(1, m)));
  if (loInside && hiInside && divides) return HOLDS;
  const witnesses = numberProbes(a, kind, b).filter((value) => !numberFits(b, kind, value));
  const why = !loInside ? "lower bound raised" : !hiInside ? "upper bound lowered" : "multipleOf no longer divides";
  return fails(`${kind === "integer" ? "integers" : "numbers"}: ${why}`, witnesses.slice(0, 3).map((value) => candidate(value)));
}
