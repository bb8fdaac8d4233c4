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
   * Version ranges the generated packages depend on; they also pick the package layout.
   * Defaults suit the Strata monorepo ({@link DEFAULT_DEPENDENCY_RANGES}): `@strata/runtime` as
   * `workspace:^`, `zod` from the pnpm catalog, and a scaffold on the monorepo's shared tooling
   * packages. Anywhere else pass a real `@strata/runtime` range (e.g. `^0.3.0`): the scaffold is
   * then self-contained (its own tsconfig, `typescript` and `@types/node` ranges, no
   * `@strata/source` condition) and `zod` defaults to the range `@strata/codegen` depends on.
   *
   * @example
   * ```ts
   * await runCodegen({ repoRoot: process.cwd(), dependencyRanges: { runtime: "^0.3.0" } });
   * ```
   */
  readonly dependencyRanges?: DependencyRanges;
}

/** The ranges used when {@link CodegenOptions.dependencyRanges} is not given: the Strata monorepo's. */
export const DEFAULT_DEPENDENCY_RANGES: DependencyRanges = { runtime: "workspace:^", zod: "catalog:" };
