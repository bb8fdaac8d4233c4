/** What a codegen run reports. */
import type { Leftover } from "../write/find-leftovers.js";

/** One difference between the disk and what codegen would write. Paths are repo-relative, with `/`. */
export interface DriftEntry {
  readonly path: string;
  /**
   * `missing`: would be created; `changed`: content differs; `stale`: would be deleted.
   * `stale-package` and `unused-upcaster` are {@link Leftover}s: a run reports them and never
   * deletes them, so only a person fixes them.
   */
  readonly kind: "missing" | "changed" | "stale" | Leftover["kind"];
}

export type { Leftover } from "../write/find-leftovers.js";

/** A problem codegen reports without failing. Paths are repo-relative, with `/`. */
export interface CodegenWarning {
  readonly path: string;
  /**
   * `unfilled-upcaster`: still the scaffold's placeholder body; `upcaster-*`: not the function the
   * registry calls; `integer-without-maximum`: the latest version of an event type has integer
   * fields without a `maximum` (the store refuses values beyond ±(2^53−1)).
   */
  readonly code: "unfilled-upcaster" | "upcaster-missing-export" | "upcaster-wrong-signature" | "integer-without-maximum";
  /** Names the event type, step and file; never data. */
  readonly message: string;
}

/** Progress of the emit stage, reported after each event type. */
export interface CodegenProgress {
  readonly context: string;
  readonly event: string;
  /** Event types emitted so far in this context, and in all. */
  readonly done: number;
  readonly total: number;
}

/** The outcome of {@link runCodegen}. Paths are repo-relative, with `/`, sorted. */
export interface CodegenResult {
  /** True for a `--check` run, which writes nothing. */
  readonly check: boolean;
  readonly contexts: readonly string[];
  readonly eventCount: number;
  /** Every difference found before writing: what `--check` fails on, or what a run fixed. */
  readonly drift: readonly DriftEntry[];
  /** Files created or rewritten (empty for `--check`). */
  readonly written: readonly string[];
  /** Files already up to date (and scaffolds that exist, which are never compared). */
  readonly unchanged: readonly string[];
  /** Stale generated files: deleted, or for `--check` found. */
  readonly stale: readonly string[];
  /** Stale packages and unused hand-written upcasters: reported (also in `drift`), never deleted. */
  readonly leftovers: readonly Leftover[];
  /** Hand-written upcasters that are unfilled or mistyped, and unbounded integer fields. They do not fail the run. */
  readonly warnings: readonly CodegenWarning[];
}
