/** Test support: a throwaway repository folder, and helpers to read what codegen wrote. */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export async function makeTempRepo(prefix = "strata-codegen-"): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Every file under `dir` (relative, `/`), with its content; empty when `dir` does not exist. */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join("/"), await readFile(full, "utf8"));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export async function mtimeOf(file: string): Promise<number> {
  return (await stat(file)).mtimeMs;
}
