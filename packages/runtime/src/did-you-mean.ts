/**
 * "Did you mean …?" for mistyped names: commands, options, schema keywords, event types. A
 * candidate is suggested when its edit distance (Damerau–Levenshtein, so a swapped pair of letters
 * costs one) is at most a third of the name's length, and at least 1. Hand-written: a dozen lines
 * for what a dependency would add to three packages' installs. One implementation for every
 * suggestion Strata makes: event types at append (here), schema keywords (codegen's loader),
 * commands, options and `<context>/<Event>` names (the CLI).
 */

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i] as number[];
      const previous = rows[i - 1] as number[];
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The closest of `candidates` to `name` (case-insensitive), or `undefined` when none is close.
 *
 * @example
 * ```ts
 * closestName("x-pi", ["x-pii", "x-data-subject"]); // "x-pii"
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { readonly candidate: string; readonly distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` Did you mean "x"?` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>, quote = (text: string) => `"${text}"`): string {
  const match = closestName(name, candidates);
  return match === undefined ? "" : ` Did you mean ${quote(match)}?`;
}
