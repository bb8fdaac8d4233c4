/**
 * Where a released file was edited: the first JSON Pointer at which the working copy differs
 * from the file at a git revision, so `strata check` can name `file#pointer`, not just the file.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { childPointer } from "../diff/json-pointer.js";

const run = promisify(execFile);

/** The first pointer (depth-first, keys sorted) at which two JSON values differ; `undefined` when equal. */
export function firstDifference(a: unknown, b: unknown, pointer = ""): string | undefined {
  if (Object.is(a, b)) return undefined;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = typeof a === "object" && typeof b === "object" && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const found = firstDifference(a[i], b[i], childPointer(pointer, String(i)));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (bothObjects) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const found = firstDifference(left[key], right[key], childPointer(pointer, key));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return pointer;
}

/**
 * The pointer of the first edit of `repoFile` (repository-relative) against its content at
 * `ref`; `undefined` when it cannot be told (no git, file absent there, not JSON).
 */
export async function locateEdit(repoRoot: string, repoFile: string, ref = "HEAD"): Promise<string | undefined> {
  try {
    const before = JSON.parse((await run("git", ["show", `${ref}:./${repoFile}`], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 })).stdout) as unknown;
    const after = JSON.parse(await readFile(join(repoRoot, repoFile), "utf8")) as unknown;
    return firstDifference(before, after);
  } catch {
    return undefined;
  }
}
