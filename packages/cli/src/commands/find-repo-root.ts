import { stat } from "node:fs/promises";
import path from "node:path";

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest directory at or above `start` that holds a `schemas/` folder or a
 * `pnpm-workspace.yaml`; `undefined` when there is none up to the file system root.
 */
export async function findRepoRoot(start: string): Promise<string | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    if ((await exists(path.join(dir, "schemas"))) || (await exists(path.join(dir, "pnpm-workspace.yaml")))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
