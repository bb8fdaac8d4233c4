/**
 * Compares what emit produced with what is on disk, file by file. The result drives both
 * `--check` (report) and a normal run (write only what differs).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { PackageOutput } from "../emit/package-file.js";
import { GENERATED_DIR } from "../emit/package-file.js";
import { mergePackageJson } from "./package-json.js";

/** What a file needs. `create-once` files are never `update`d. */
export type FileStatus = "create" | "update" | "unchanged";

export interface PlannedFile {
  /** Relative to the package directory, with `/`. */
  readonly path: string;
  readonly status: FileStatus;
  /** The content to write; `undefined` when unchanged. */
  readonly content: string | undefined;
  /** True for files that must never replace an existing one. */
  readonly createOnly: boolean;
}

/** The changes for one events package. */
export interface PackageChanges {
  readonly context: string;
  /** Repo-relative, with `/`. */
  readonly directory: string;
  /** Absolute. */
  readonly absoluteDirectory: string;
  /** Files of `src/generated/`, every one codegen produces. */
  readonly generated: readonly PlannedFile[];
  /** `*.gen.ts` files in `src/generated/` that codegen no longer produces. */
  readonly stale: readonly string[];
  /** Other files found in `src/generated/` (not codegen's); carried over untouched. */
  readonly foreign: readonly string[];
  /** Whether `src/generated/` exists now. */
  readonly generatedDirExists: boolean;
  /** `package.json` and scaffolds. */
  readonly others: readonly PlannedFile[];
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Files under `dir`, relative to it with `/`; empty when it does not exist. */
async function listFiles(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function compare(file: string, existing: string | undefined, content: string, createOnly: boolean): PlannedFile {
  if (existing === undefined) return { path: file, status: "create", content, createOnly };
  if (createOnly || existing === content) return { path: file, status: "unchanged", content: undefined, createOnly };
  return { path: file, status: "update", content, createOnly };
}

/** Plans the changes that would bring `output`'s package on disk in line with it. */
export async function planPackageChanges(repoRoot: string, output: PackageOutput): Promise<PackageChanges> {
  const absoluteDirectory = path.resolve(repoRoot, output.directory);
  const generated: PlannedFile[] = [];
  const others: PlannedFile[] = [];
  const produced = new Set<string>();
  await Promise.all(
    output.files.map(async (file) => {
      const target = path.join(absoluteDirectory, file.path);
      const existing = await readText(target);
      switch (file.kind) {
        case "generated":
          produced.add(file.path.slice(GENERATED_DIR.length + 1));
          generated.push(compare(file.path, existing, file.content, false));
          break;
        case "create-once": {
          const content = existing === undefined && typeof file.content === "function" ? file.content() : file.content;
          others.push(compare(file.path, existing, typeof content === "string" ? content : "", true));
          break;
        }
        case "package-json": {
          const content = mergePackageJson(path.join(output.directory, file.path), existing, file.owned, file.initial);
          others.push(
            content === undefined
              ? { path: file.path, status: "unchanged", content: undefined, createOnly: false }
              : { path: file.path, status: existing === undefined ? "create" : "update", content, createOnly: false },
          );
          break;
        }
      }
    }),
  );
  const onDisk = await listFiles(path.join(absoluteDirectory, GENERATED_DIR));
  const leftovers = (onDisk ?? []).filter((file) => !produced.has(file));
  const byPath = (a: PlannedFile, b: PlannedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    context: output.context,
    directory: output.directory,
    absoluteDirectory,
    generated: generated.sort(byPath),
    stale: leftovers.filter((file) => file.endsWith(".gen.ts")).map((file) => `${GENERATED_DIR}/${file}`),
    foreign: leftovers.filter((file) => !file.endsWith(".gen.ts")).map((file) => `${GENERATED_DIR}/${file}`),
    generatedDirExists: onDisk !== undefined,
    others: others.sort(byPath),
  };
}
