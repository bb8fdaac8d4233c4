/**
 * Embedded data at rest: a PGlite data directory holds every event, key table and WAL segment of
 * the store, so it must be readable by its owner only.
 *
 * PGlite (Emscripten's NODEFS) creates its files with mode 0666 and directories with 0777, less
 * the process umask; with a umask of 0 that is world-readable. Strata creates the directory 0700
 * before PGlite opens it and sets every directory under it to 0700 and every file to 0600 once
 * PGlite is ready and again when it closes. Between the two, files PGlite adds (new relations, WAL
 * segments) sit inside the 0700 directory, which nobody else can enter.
 *
 * @module
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Mode of directories under a PGlite data directory. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of files under a PGlite data directory. */
export const PRIVATE_FILE_MODE = 0o600;

/** True for a PGlite `dataDir` that names a directory on disk (not `memory://`, `idb://`, …). */
export function isDiskDataDir(dataDir: string | undefined): dataDir is string {
  return dataDir !== undefined && dataDir !== "" && !/^[a-z]+:\/\//.test(dataDir);
}

/**
 * Creates `dir` (mode 0700) when missing and restricts what is in it: directories 0700, files
 * 0600. Symbolic links are not followed. Idempotent; call it before PGlite opens the directory
 * and after it is ready or closed.
 *
 * @example
 * ```ts
 * restrictDataDir(".strata-data/banking");
 * const instance = await PGlite.create(".strata-data/banking");
 * restrictDataDir(".strata-data/banking");
 * ```
 */
export function restrictDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrict(dir);
}

function restrict(path: string): void {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return;
  if (stats.isDirectory()) {
    if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
    for (const entry of readdirSync(path)) restrict(join(path, entry));
  } else if ((stats.mode & 0o777) !== PRIVATE_FILE_MODE) {
    chmodSync(path, PRIVATE_FILE_MODE);
  }
}
