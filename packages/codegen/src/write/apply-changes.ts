/**
 * Writes planned changes so that a failure never leaves a half-generated package.
 *
 * The guarantee, precisely:
 * - Stage: every new or changed file is first written to a temporary location next to its
 *   target — a complete new `src/generated/` (unchanged files hard-linked from the old one, so
 *   their mtime is kept) and `<file>.tmp-…` siblings for `package.json` and scaffolds. Any
 *   failure here (disk full, permissions) removes the temporaries and leaves every target
 *   untouched.
 * - Commit: only renames, on the same file system. Each file is replaced atomically; each
 *   `src/generated/` is swapped by two renames (old aside, new in), then the old copy is deleted.
 *   A crash between those two renames leaves `src/generated/` missing (never mixed) and the old
 *   one in `src/.generated.old-…`; rerunning codegen restores it and removes such leftovers.
 * Scaffolds (`create-once`) are committed with `link`, which fails rather than overwrite a file
 * somebody created meanwhile; such a file is kept.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readdir, rename, rm, stat, unlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";

import { GENERATED_DIR } from "../emit/package-file.js";
import type { PackageChanges, PlannedFile } from "./plan-changes.js";

/** A step of the commit phase. */
type CommitStep = () => Promise<void>;

function suffix(): string {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

function needsWrite(file: PlannedFile): file is PlannedFile & { content: string } {
  return file.status !== "unchanged" && file.content !== undefined;
}

/** True when `changes` requires touching `src/generated/`. */
export function generatedDirChanges(changes: PackageChanges): boolean {
  return changes.stale.length > 0 || changes.generated.some(needsWrite);
}

/** Hard-links `from` to `to`, or copies it keeping its times when links are not possible. */
async function carryOver(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
    const times = await stat(from);
    await utimes(to, times.atime, times.mtime);
  }
}

async function stageGeneratedDir(changes: PackageChanges, temporaries: string[]): Promise<CommitStep> {
  const target = path.join(changes.absoluteDirectory, GENERATED_DIR);
  const staging = path.join(path.dirname(target), `.generated.tmp-${suffix()}`);
  temporaries.push(staging);
  await mkdir(staging, { recursive: true });
  const local = (file: string): string => file.slice(GENERATED_DIR.length + 1);
  for (const file of changes.generated) {
    const staged = path.join(staging, local(file.path));
    await mkdir(path.dirname(staged), { recursive: true });
    if (needsWrite(file)) await writeFile(staged, file.content);
    else await carryOver(path.join(target, local(file.path)), staged);
  }
  for (const file of changes.foreign) {
    const staged = path.join(staging, local(file));
    await mkdir(path.dirname(staged), { recursive: true });
    await carryOver(path.join(target, local(file)), staged);
  }
  return async () => {
    const aside = path.join(path.dirname(target), `.generated.old-${suffix()}`);
    if (changes.generatedDirExists) await rename(target, aside);
    await rename(staging, target);
    if (changes.generatedDirExists) await rm(aside, { recursive: true, force: true });
  };
}

async function stageFile(changes: PackageChanges, file: PlannedFile & { content: string }, temporaries: string[]): Promise<CommitStep> {
  const target = path.join(changes.absoluteDirectory, file.path);
  const staged = `${target}.tmp-${suffix()}`;
  await mkdir(path.dirname(target), { recursive: true });
  temporaries.push(staged);
  await writeFile(staged, file.content);
  if (!file.createOnly) return () => rename(staged, target);
  return async () => {
    try {
      await link(staged, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    await unlink(staged);
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes `src/.generated.tmp-<pid>-…` / `src/.generated.old-<pid>-…` folders that a crashed run
 * left behind (never those of a run still in progress).
 */
async function removeLeftovers(changes: PackageChanges): Promise<void> {
  const src = path.join(changes.absoluteDirectory, path.dirname(GENERATED_DIR));
  let entries: string[];
  try {
    entries = await readdir(src);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^\.generated\.(?:tmp|old)-(\d+)-[0-9a-f]+$/.exec(entry);
    if (match !== null && !isRunning(Number(match[1]))) await rm(path.join(src, entry), { recursive: true, force: true });
  }
}

/**
 * Applies the changes of every package: stages all of them, then commits all of them (see the
 * module comment for the exact guarantee).
 */
export async function applyChanges(all: readonly PackageChanges[]): Promise<void> {
  const temporaries: string[] = [];
  const commits: CommitStep[] = [];
  try {
    for (const changes of all) {
      await removeLeftovers(changes);
      for (const file of changes.others) {
        if (needsWrite(file)) commits.push(await stageFile(changes, file, temporaries));
      }
      if (generatedDirChanges(changes)) commits.push(await stageGeneratedDir(changes, temporaries));
    }
  } catch (error) {
    await Promise.all(temporaries.map((temporary) => rm(temporary, { recursive: true, force: true })));
    throw error;
  }
  for (const commit of commits) await commit();
}
