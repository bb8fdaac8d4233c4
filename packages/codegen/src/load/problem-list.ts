/** Collects catalog problems: deduplicated, then sorted so the report is deterministic. */
import type { CatalogProblem } from "../errors.js";
import type { CatalogProblemCode } from "./problem-codes.js";

export class ProblemList {
  readonly #problems = new Map<string, CatalogProblem>();

  /** @param displayPrefix prefix that turns a catalog-relative path into a repo-relative one (`schemas`). */
  constructor(private readonly displayPrefix: string) {}

  /** Records a problem; `file` is relative to the catalog root (`""` for the root itself). */
  add(code: CatalogProblemCode, file: string, pointer: string, message: string): void {
    const shown = file === "" ? this.displayPrefix : `${this.displayPrefix}/${file}`;
    const key = `${code}\u0000${shown}\u0000${pointer}\u0000${message}`;
    if (!this.#problems.has(key)) this.#problems.set(key, { code, file: shown, pointer, message });
  }

  /** Repo-relative form of a catalog-relative path, for messages. */
  show(file: string): string {
    return file === "" ? this.displayPrefix : `${this.displayPrefix}/${file}`;
  }

  get size(): number {
    return this.#problems.size;
  }

  /** All problems, sorted by file, pointer, code, message. */
  sorted(): CatalogProblem[] {
    const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.#problems.values()].sort(
      (a, b) => compare(a.file, b.file) || compare(a.pointer, b.pointer) || compare(a.code, b.code) || compare(a.message, b.message),
    );
  }
}
