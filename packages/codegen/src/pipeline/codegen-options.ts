import type { DependencyRanges } from "../emit/emit-package-scaffold.js";
import type { CodegenProgress } from "./codegen-result.js";

/** Options of {@link runCodegen}. */
export interface CodegenOptions {
  /** The repository root: generated packages are placed relative to it. */
  readonly repoRoot: string;
  /** The catalog folder; defaults to `<repoRoot>/schemas`. */
  readonly schemasDir?: string;
  /** Compare with the disk and report drift, writing nothing. */
  readonly check?: boolean;
  /** Called after each event type is emitted. */
  readonly onProgress?: (progress: CodegenProgress) => void;
  /**
   * Version ranges the generated packages depend on. Defaults suit this monorepo:
   * `@strata/runtime` as `workspace:*`, `zod` from the pnpm catalog.
   */
  readonly dependencyRanges?: DependencyRanges;
}

/** The ranges used when {@link CodegenOptions.dependencyRanges} is not given. */
export const DEFAULT_DEPENDENCY_RANGES: DependencyRanges = { runtime: "workspace:*", zod: "catalog:" };
