/**
 * Whether `start` seeds the demo data: only on a development start unless asked for. A server
 * started with the operator's keys is production, where demo customers (with known users) must
 * never appear by default.
 *
 * @module
 */

/** What decides the seeding. */
export interface SeedChoice {
  /** `--seed`: seed whatever the start. */
  readonly seed: boolean;
  /** `--no-seed`: never seed (wins over `--seed`). */
  readonly noSeed: boolean;
  /** A development start: development secrets asked for (`--dev` on PGlite, `STRATA_DEV_KEYS=1`) or the data in memory. */
  readonly development: boolean;
}

/** True when `start` should seed the demo data (on a store that has none yet). */
export function shouldSeed(choice: SeedChoice): boolean {
  if (choice.noSeed) return false;
  return choice.seed || choice.development;
}
