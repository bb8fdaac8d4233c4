/** What a codegen run reports. */

/** One difference between the disk and what codegen would write. Paths are repo-relative, with `/`. */
export interface DriftEntry {
  readonly path: string;
  /** `missing`: would be created; `changed`: content differs; `stale`: would be deleted. */
  readonly kind: "missing" | "changed" | "stale";
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
}
