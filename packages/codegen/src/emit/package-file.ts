/**
 * The files emit produces for one events package, before anything touches the disk. The write
 * stage treats each kind differently, so the kind is part of the data.
 */
import type { HandWrittenUpcasterStep } from "../model/upcaster-plan.js";

/** Fields of the package's `package.json` that codegen owns and keeps up to date. */
export interface OwnedPackageFields {
  readonly name: string;
  readonly type: "module";
  readonly exports: Readonly<Record<string, unknown>>;
  /** Merged into `dependencies`; other dependencies are left alone. */
  readonly dependencies: Readonly<Record<string, string>>;
}

export type PackageFile =
  /** Fully owned by codegen, under `src/generated/`: rewritten on change, deleted when stale. */
  | { readonly kind: "generated"; readonly path: string; readonly content: string }
  /**
   * Scaffolded once when missing, then hand-edited and never overwritten. `content` may be a
   * function, called only when the file is missing.
   */
  | { readonly kind: "create-once"; readonly path: string; readonly content: string | (() => string) }
  /**
   * `package.json`: created from `initial` when missing; afterwards only the `owned` fields are
   * updated (`version` belongs to changesets and is never touched).
   */
  | { readonly kind: "package-json"; readonly path: string; readonly owned: OwnedPackageFields; readonly initial: Readonly<Record<string, unknown>> };

/** Everything emitted for one context. Paths in `files` are relative to `directory`, with `/`. */
export interface PackageOutput {
  readonly context: string;
  /** Repo-relative directory of the events package, e.g. `packages/banking-events`. */
  readonly directory: string;
  readonly files: readonly PackageFile[];
  /** The hand-written upcaster steps the plan needs; their files live at `src/<step.file>`. */
  readonly handWritten: readonly HandWrittenUpcasterStep[];
}

/** The folder, relative to the package, that codegen owns entirely. */
export const GENERATED_DIR = "src/generated";
