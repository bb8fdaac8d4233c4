/** Compares the lock file with the catalog on disk: released files may never change or vanish. */
import type { LockFile } from "./lock-file.js";

/** A released file that was edited, deleted or renamed. */
export interface LockViolation {
  readonly code: "released-version-edited" | "released-version-deleted";
  /** Catalog-relative path of the released file. */
  readonly file: string;
  readonly message: string;
}

/**
 * @param current catalog-relative path → content hash of every file now in the catalog
 *   (`undefined` for a file present but not valid JSON).
 */
export function findLockViolations(lock: LockFile, current: ReadonlyMap<string, string | undefined>): LockViolation[] {
  const violations: LockViolation[] = [];
  for (const [file, hash] of Object.entries(lock.released).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const event = /^([^/]+\/[A-Z][^/]*)\/v[0-9]+\.json$/.exec(file)?.[1];
    const what = event === undefined ? `released shared definition ${file}` : `released version ${file}`;
    if (!current.has(file)) {
      violations.push({
        code: "released-version-deleted",
        file,
        message: `${what} is missing (deleted or renamed); released files are immutable — restore it from version control`,
      });
    } else if (current.get(file) !== hash) {
      const fix = event === undefined
        ? "restore it and put changed definitions in a new file"
        : `add a new version with \`strata new-version ${event}\` instead`;
      violations.push({ code: "released-version-edited", file, message: `${what} was edited; released versions are immutable — ${fix}` });
    }
  }
  return violations;
}
