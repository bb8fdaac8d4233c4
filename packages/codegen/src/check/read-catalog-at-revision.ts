/**
 * Reads the schema catalog as it is at a git revision, into a temporary folder, with
 * `git archive` (no checkout, the working tree is untouched).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";

import { StrataCodegenError, isStrataCodegenError } from "../errors.js";
import { loadCatalog } from "../load/load-catalog.js";
import type { CatalogModel } from "../model/catalog-model.js";

const run = promisify(execFile);

/** Code of {@link RevisionReadError}. */
export const REVISION_READ_ERROR_CODE = "STRATA_REVISION_UNREADABLE";

/** The catalog could not be read at the requested git revision (unknown ref, not a git repository, no catalog there). */
export class RevisionReadError extends StrataCodegenError {
  readonly ref: string;
  constructor(ref: string, detail: string, options?: ErrorOptions) {
    super(REVISION_READ_ERROR_CODE, `cannot read the schema catalog at git revision "${ref}": ${detail}`, options);
    this.ref = ref;
  }
}

/**
 * Loads the catalog folder `catalogRoot` as it is at git revision `ref` and passes it to `use`;
 * the temporary copy is removed afterwards. Throws {@link RevisionReadError}, or the loader's
 * `CatalogError` when the catalog at `ref` is itself invalid.
 */
export async function withCatalogAtRevision<T>(catalogRoot: string, ref: string, use: (catalog: CatalogModel) => Promise<T>): Promise<T> {
  if (ref.startsWith("-")) throw new RevisionReadError(ref, "a revision cannot start with '-'");
  let top: string;
  try {
    top = (await run("git", ["rev-parse", "--show-toplevel"], { cwd: catalogRoot })).stdout.trim();
    await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: top });
  } catch (error) {
    throw new RevisionReadError(ref, "not a git repository, or no such revision", { cause: error });
  }
  const inRepo = relative(top, catalogRoot).split("\\").join("/");
  const folder = await mkdtemp(join(tmpdir(), "strata-check-"));
  try {
    const archive = join(folder, "catalog.tar");
    try {
      await run("git", ["archive", "--format=tar", "-o", archive, ref, "--", inRepo], { cwd: top });
      await run("tar", ["-xf", archive, "-C", folder]);
    } catch (error) {
      throw new RevisionReadError(ref, `${inRepo}/ does not exist there`, { cause: error });
    }
    return await use(await loadCatalog({ root: join(folder, inRepo) }));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** True when `error` is a {@link RevisionReadError} (checked by code). */
export function isRevisionReadError(error: unknown): error is RevisionReadError {
  return isStrataCodegenError(error) && error.code === REVISION_READ_ERROR_CODE;
}
