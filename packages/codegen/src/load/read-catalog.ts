/**
 * Reads the catalog folder into raw, parsed files and reports everything that does not fit the
 * layout `<context>/context.json`, `<context>/<EventType>/v<N>.json`, `<context>/_<folder>/*.json`.
 * Hidden entries (`.gitkeep`, `.DS_Store`) and Markdown notes (`*.md`) are ignored.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILE_NAME } from "../lock/lock-file.js";
import { parseJson } from "./parse-json.js";
import type { ProblemList } from "./problem-list.js";

/** A JSON file of the catalog; `value` is undefined when it is not valid JSON. */
export interface RawFile {
  /** Path relative to the catalog root, forward slashes. */
  readonly rel: string;
  readonly value: unknown;
  readonly parsed: boolean;
}

export interface RawEventType {
  readonly context: string;
  readonly name: string;
  /** Folder relative to the catalog root. */
  readonly dir: string;
  /** By version number. */
  readonly versions: ReadonlyMap<number, RawFile>;
}

export interface RawContext {
  readonly name: string;
  readonly config: RawFile | undefined;
  readonly events: readonly RawEventType[];
  /** Shared-definition files (`_defs/*.json`). */
  readonly shared: readonly RawFile[];
}

export const CONTEXT_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const EVENT_TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const VERSION_FILE = /^v([1-9][0-9]*)\.json$/;

/** Reads every context under `root`; layout and JSON problems go to `problems`. */
export async function readCatalog(root: string, problems: ProblemList): Promise<RawContext[] | undefined> {
  const entries = await list(root, "", problems, "catalog-not-found");
  if (entries === undefined) return undefined;
  const contexts: RawContext[] = [];
  for (const entry of entries) {
    if (entry.isFile() && entry.name === LOCK_FILE_NAME) continue;
    if (entry.isDirectory() && CONTEXT_NAME.test(entry.name)) {
      contexts.push(await readContext(root, entry.name, problems));
    } else {
      problems.add("unexpected-entry", entry.name, "", entry.isDirectory()
        ? `context folder names are kebab-case (${CONTEXT_NAME.source}); rename ${JSON.stringify(entry.name)}`
        : `only context folders and ${LOCK_FILE_NAME} belong at the catalog root`);
    }
  }
  return contexts;
}

async function readContext(root: string, name: string, problems: ProblemList): Promise<RawContext> {
  const events: RawEventType[] = [];
  const shared: RawFile[] = [];
  let config: RawFile | undefined;
  for (const entry of (await list(root, name, problems)) ?? []) {
    const rel = `${name}/${entry.name}`;
    if (entry.isFile() && entry.name === "context.json") {
      config = await readJson(root, rel, problems);
    } else if (entry.isDirectory() && entry.name.startsWith("_")) {
      shared.push(...(await readShared(root, rel, problems)));
    } else if (entry.isDirectory() && EVENT_TYPE_NAME.test(entry.name)) {
      events.push(await readEventType(root, name, entry.name, problems));
    } else {
      problems.add("unexpected-entry", rel, "", entry.isDirectory()
        ? `event type folders are PascalCase (${EVENT_TYPE_NAME.source}) and shared-definition folders start with "_"`
        : "a context folder holds only context.json, event type folders and _shared folders");
    }
  }
  if (config === undefined) {
    problems.add("missing-context-config", name, "", `context ${JSON.stringify(name)} has no context.json naming its package, directory and compatibility mode`);
  }
  return { name, config, events, shared };
}

async function readEventType(root: string, context: string, name: string, problems: ProblemList): Promise<RawEventType> {
  const dir = `${context}/${name}`;
  const versions = new Map<number, RawFile>();
  for (const entry of (await list(root, dir, problems)) ?? []) {
    const match = VERSION_FILE.exec(entry.name);
    if (entry.isFile() && match?.[1] !== undefined) {
      versions.set(Number(match[1]), await readJson(root, `${dir}/${entry.name}`, problems));
    } else {
      problems.add("unexpected-entry", `${dir}/${entry.name}`, "", "an event type folder holds only version files v1.json, v2.json, ... (no leading zeros)");
    }
  }
  return { context, name, dir, versions };
}

async function readShared(root: string, dir: string, problems: ProblemList): Promise<RawFile[]> {
  const files: RawFile[] = [];
  for (const entry of (await list(root, dir, problems)) ?? []) {
    if (entry.isFile() && entry.name.endsWith(".json")) {
      files.push(await readJson(root, `${dir}/${entry.name}`, problems));
    } else {
      problems.add("unexpected-entry", `${dir}/${entry.name}`, "", "a shared-definition folder holds only *.json schema files");
    }
  }
  return files;
}

/** Sorted, visible entries of a folder; undefined (and a problem) when it cannot be read. */
async function list(root: string, rel: string, problems: ProblemList, code: "catalog-not-found" | "unreadable-file" = "unreadable-file"): Promise<Dirent[] | undefined> {
  try {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    return entries
      .filter((e) => !e.name.startsWith(".") && !(e.isFile() && e.name.endsWith(".md")))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    problems.add(code, rel, "", `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
}

async function readJson(root: string, rel: string, problems: ProblemList): Promise<RawFile> {
  let text: string;
  try {
    text = await readFile(join(root, rel), "utf8");
  } catch (error) {
    problems.add("unreadable-file", rel, "", `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return { rel, value: undefined, parsed: false };
  }
  const result = parseJson(text);
  if (result.ok) return { rel, value: result.value, parsed: true };
  problems.add("malformed-json", rel, "", result.message);
  return { rel, value: undefined, parsed: false };
}
