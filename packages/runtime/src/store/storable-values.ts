/**
 * What PostgreSQL's `jsonb` and JSON itself can hold exactly, checked before anything is written.
 *
 * Each rule answers a failure seen through the public API: a string with U+0000 made the driver
 * throw 22P05 (jsonb has no NUL), an unpaired surrogate 22021 (not UTF-8); 9007199254740993 was
 * stored as 9007199254740992 (a double has 53 bits), and 1e20 was accepted, then overflowed every
 * `bigint` read-model column. Integers that need more than 53 bits travel as decimal strings
 * (`"9007199254740993"`), which jsonb keeps exactly and `numeric` columns read.
 *
 * Generated validators (`strata codegen`) apply the same rules, so a value they accept is one the
 * store stores; keep the two in step (codegen's `emit/zod/runtime-helpers.ts`, helper `storable`).
 *
 * @module
 */
import type { ValidationIssue } from "../registry.js";

/** Whether `text` holds U+0000 or a UTF-16 surrogate without its pair. */
// Not String.prototype.isWellFormed: Node 20 has it, but the lint's ES lib does not declare it.
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whether `text` may be unstorable: a plain character class, several times faster than the exact rule, which only runs on a hit. */
const SUSPECT_TEXT = /[\u0000\uD800-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
function textProblem(text: string): string | undefined {
  if (!SUSPECT_TEXT.test(text)) return undefined;
  const match = UNSTORABLE_TEXT.exec(text);
  if (match === null) return undefined;
  return match[0] === "\u0000"
    ? "contains U+0000, which PostgreSQL cannot store in text or jsonb"
    : `contains an unpaired UTF-16 surrogate at index ${match.index}, which is not valid Unicode (UTF-8 cannot encode it)`;
}

/** Why `value` cannot be stored, or undefined when it can. */
function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return `is ${String(value)}, which JSON cannot carry`;
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return "is outside ±(2^53−1), where numbers lose digits (9007199254740993 reads back as 9007199254740992); send larger integers as decimal strings";
  }
  return undefined;
}

/**
 * Lists every value inside `value` that the store cannot hold exactly, with its path: strings or
 * object keys with U+0000 or an unpaired surrogate, non-finite numbers, numbers beyond ±(2^53−1),
 * and bigints. Messages name the rule, never the value (it may be personal data). An empty list
 * means the value is storable.
 *
 * @example
 * ```ts
 * findUnstorableValues({ name: "a\u0000b", amount: 1e20 });
 * // [{ path: ["name"], message: "contains U+0000, …", code: "unstorable_value" }, { path: ["amount"], … }]
 * ```
 */
export function findUnstorableValues(value: unknown, path: readonly PropertyKey[] = []): ValidationIssue[] {
  const walk: Walk = { issues: [], seen: new Set<object>(), at: [...path] };
  visit(walk, value);
  return walk.issues;
}

/**
 * The state of one walk. The walk is a module-level function, not a closure made per call: a
 * closure per event (two per event, data and metadata) was a third of the check's cost, and under
 * tsx (how `pnpm bench` runs the source) every closure also paid esbuild's `__name` helper.
 */
interface Walk {
  readonly issues: ValidationIssue[];
  readonly seen: Set<object>;
  /** One path stack for the whole walk, copied only into an issue: most values have none. */
  readonly at: PropertyKey[];
}

function visit(walk: Walk, current: unknown): void {
  let problem: string | undefined;
  if (typeof current === "string") problem = textProblem(current);
  else if (typeof current === "number") problem = numberProblem(current);
  else if (typeof current === "bigint") problem = "is a bigint, which JSON cannot carry; send it as a decimal string";
  else if (typeof current === "object" && current !== null && !walk.seen.has(current)) {
    // A cycle is JSON.stringify's to report; each object is walked once.
    walk.seen.add(current);
    const at = walk.at;
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index += 1) {
        at.push(index);
        visit(walk, current[index]);
        at.pop();
      }
    } else {
      const json = (current as { toJSON?: unknown }).toJSON;
      if (typeof json === "function") return visit(walk, (json as () => unknown).call(current));
      for (const key of Object.keys(current)) {
        at.push(key);
        const keyProblem = textProblem(key);
        if (keyProblem !== undefined) walk.issues.push({ path: [...at], message: `Property name ${keyProblem}`, code: "unstorable_value" });
        visit(walk, (current as Record<string, unknown>)[key]);
        at.pop();
      }
    }
  }
  if (problem !== undefined) walk.issues.push({ path: [...walk.at], message: `Value ${problem}`, code: "unstorable_value" });
}

/** Whether `text` can be stored as text or inside jsonb (no U+0000, no unpaired surrogate). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}
