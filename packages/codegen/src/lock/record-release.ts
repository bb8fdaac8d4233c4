/** Records the catalog's current versions as released in `schemas/strata.lock.json`. */
import { resolve } from "node:path";
import { loadCatalogWithDetails } from "../load/load-catalog.js";
import { writeLock, type LockFile } from "./lock-file.js";

/** What {@link recordRelease} did. */
export interface ReleaseRecord {
  /** Catalog-relative files newly locked, sorted; empty when everything was already released. */
  readonly added: readonly string[];
  /** The lock file as it now is on disk (or would be, when nothing was added and no file exists). */
  readonly lock: LockFile;
}

/**
 * Locks every event version not yet released, plus every shared-definition file those versions
 * are built from (so a released version's meaning cannot change through a shared `$ref`).
 * Loads and validates the catalog first: a catalog with problems (including edits to released
 * files) is refused with a `CatalogError`. Idempotent; writes atomically (temporary file +
 * rename) and only when something was added.
 *
 * @example
 * const { added } = await recordRelease("/repo/schemas");
 * // added: ["banking/MoneyDeposited/v4.json"]
 */
export async function recordRelease(root: string): Promise<ReleaseRecord> {
  const catalogRoot = resolve(root);
  const { model, lock, hashes, dependencies } = await loadCatalogWithDetails({ root: catalogRoot });
  const released: Record<string, string> = { ...lock.released };
  const added: string[] = [];
  const add = (file: string): void => {
    const hash = hashes.get(file);
    if (released[file] === undefined && hash !== undefined) {
      released[file] = hash;
      added.push(file);
    }
  };
  for (const version of model.contexts.flatMap((c) => c.events.flatMap((e) => e.versions))) {
    add(version.file);
    for (const file of dependencies.get(version.file) ?? []) add(file);
  }
  if (added.length === 0) return { added, lock };
  const next: LockFile = { lockVersion: 1, released };
  await writeLock(catalogRoot, next);
  return { added: added.sort(), lock: next };
}
