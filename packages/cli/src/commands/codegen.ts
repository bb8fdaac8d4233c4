/**
 * `strata codegen [--check] [--watch] [--root <dir>]`: generates the events packages from the
 * schema catalog, checks them for drift (CI), or keeps them up to date while schemas change.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { isCatalogError, isStrataCodegenError, runCodegen, watchCodegen } from "@strata/codegen";
import type { DependencyRanges } from "@strata/codegen";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { checkSummary, notices, progressReporter, writeSummary } from "./codegen-report.js";
import { findRepoRoot } from "./find-repo-root.js";

const HELP = `Usage: strata codegen [--check] [--watch] [--root <dir>]

Generates packages/<context>-events from the JSON Schemas under schemas/: types, zod
validators, event classes, personal-data maps, upcaster wiring and the registry.

Options:
  --check       Write nothing; exit 1 and list every file that is missing, differs or is stale.
  --watch       Regenerate whenever a file under schemas/ changes, until interrupted.
  --root <dir>  Repository root (default: the nearest folder up with schemas/ or pnpm-workspace.yaml).
  -h, --help    Show this help.

Exit codes: 0 done or up to date, 1 drift or an invalid catalog, 2 usage error.
`;

/**
 * Prints an error codegen reports (catalog problems one per line as `file#pointer: message`)
 * and returns true; false for errors that are not codegen's, which the dispatcher reports.
 */
function reportCodegenError(error: unknown, io: CommandIo): boolean {
  if (isCatalogError(error)) {
    const count = error.problems.length === 1 ? "1 problem" : `${error.problems.length} problems`;
    io.stderr(`codegen: the schema catalog has ${count}; nothing was written.\n`);
    for (const problem of error.problems) io.stderr(`${problem.file}#${problem.pointer}: ${problem.message}\n`);
    return true;
  }
  if (isStrataCodegenError(error)) {
    io.stderr(`codegen: ${error.message}\nNothing was written.\n`);
    return true;
  }
  return false;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * The `packages:` globs of `pnpm-workspace.yaml`. Read with two regular expressions rather than
 * a YAML library: the CLI has no YAML dependency, and the list is a flat sequence of strings
 * (block `- glob` items, or one flow `[a, b]` line).
 */
function workspaceGlobs(yaml: string): string[] {
  const flow = /^packages:[ \t]*\[([^\]]*)\]/m.exec(yaml)?.[1];
  const block = flow === undefined ? /^packages:[ \t]*(?:#.*)?\n((?:[ \t]*(?:-.*|#.*)?\n?)*)/m.exec(yaml)?.[1] : undefined;
  const items = flow !== undefined ? flow.split(",") : (block ?? "").split("\n").map((line) => /^\s*-\s*(.*)$/.exec(line)?.[1] ?? "");
  return items.map((item) => item.replace(/\s+#.*$/, "").trim().replace(/^(["'])(.*)\1$/, "$2")).filter((item) => item !== "");
}

/** Directories under `root` matching the glob `segments` (`*` within a segment, `**` across them). */
async function expandGlob(root: string, segments: readonly string[]): Promise<string[]> {
  const [head, ...rest] = segments;
  if (head === undefined) return [root];
  if (head === "**") {
    const here = await expandGlob(root, rest);
    const below = await Promise.all((await subfolders(root)).map((dir) => expandGlob(dir, segments)));
    return [...here, ...below.flat()];
  }
  if (!head.includes("*")) return expandGlob(path.join(root, head), rest);
  const pattern = new RegExp(`^${head.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  const matches = (await subfolders(root)).filter((dir) => pattern.test(path.basename(dir)));
  return (await Promise.all(matches.map((dir) => expandGlob(dir, rest)))).flat();
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")).map((entry) => path.join(dir, entry.name));
}

/** The `name` in a package.json; `undefined` when missing or unreadable (not codegen's to report). */
async function packageName(file: string): Promise<unknown> {
  try {
    return (JSON.parse((await readText(file)) ?? "{}") as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** True when `repoRoot`'s pnpm workspace has a package named `@strata/runtime`: the Strata monorepo. */
async function isStrataMonorepo(repoRoot: string): Promise<boolean> {
  const yaml = await readText(path.join(repoRoot, "pnpm-workspace.yaml"));
  if (yaml === undefined) return false;
  const globs = workspaceGlobs(yaml);
  const expand = async (negated: boolean): Promise<Set<string>> =>
    new Set((await Promise.all(globs.filter((glob) => glob.startsWith("!") === negated).map((glob) => expandGlob(repoRoot, glob.replace(/^!/, "").split("/").filter((s) => s !== "" && s !== "."))))).flat());
  const excluded = await expand(true);
  for (const dir of await expand(false)) {
    if (excluded.has(dir)) continue;
    if ((await packageName(path.join(dir, "package.json"))) === "@strata/runtime") return true;
  }
  return false;
}

/**
 * The ranges the events packages depend on: codegen's monorepo defaults (`workspace:^`) inside
 * the Strata monorepo, else `^` the `@strata/runtime` version this CLI was released with (the
 * packages are versioned as one group; `zod` then defaults to codegen's own range).
 */
async function dependencyRangesFor(repoRoot: string): Promise<DependencyRanges | undefined> {
  if (await isStrataMonorepo(repoRoot)) return undefined;
  // Two folders up from both src/commands/ and dist/commands/.
  const own = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
    dependencies?: Readonly<Record<string, string>>;
  };
  const pinned = own.dependencies?.["@strata/runtime"]?.replace(/^[\^~=]/, "");
  // `workspace:^` when this CLI runs from the monorepo's sources: same group, same version.
  const version = pinned !== undefined && /^\d+\.\d+\.\d+/.test(pinned) ? pinned : own.version;
  return { runtime: `^${version}` };
}

async function watch(repoRoot: string, io: CommandIo): Promise<ExitCode> {
  io.stderr(`codegen: watching ${path.join(repoRoot, "schemas")} (Ctrl-C to stop)\n`);
  const progress = progressReporter(io.stderr, io.stderrIsTty);
  let started = performance.now();
  const dependencyRanges = await dependencyRangesFor(repoRoot);
  await watchCodegen({
    repoRoot,
    ...(dependencyRanges === undefined ? {} : { dependencyRanges }),
    signal: io.signal,
    onProgress: progress.onProgress,
    onRun: (run) => {
      progress.finish();
      if (run.ok) {
        io.stdout(writeSummary(run.result, (performance.now() - started) / 1000));
        io.stderr(notices(run.result));
      } else if (!reportCodegenError(run.error, io)) io.stderr(`codegen: ${run.error instanceof Error ? run.error.message : String(run.error)}\n`);
      started = performance.now();
    },
  });
  return EXIT_CODES.ok;
}

async function run(values: OptionValues, _positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const check = values["check"] === true;
  if (check && values["watch"] === true) {
    io.stderr(`strata codegen: --check and --watch cannot be combined.\n`);
    return EXIT_CODES.usage;
  }
  const rootOption = typeof values["root"] === "string" ? path.resolve(io.cwd, values["root"]) : undefined;
  const repoRoot = rootOption ?? (await findRepoRoot(io.cwd));
  if (repoRoot === undefined) {
    io.stderr(`strata codegen: no schemas/ folder or pnpm-workspace.yaml found above ${io.cwd}; pass --root <dir>.\n`);
    return EXIT_CODES.usage;
  }
  if (values["watch"] === true) return watch(repoRoot, io);

  const progress = progressReporter(io.stderr, io.stderrIsTty);
  const started = performance.now();
  try {
    const dependencyRanges = await dependencyRangesFor(repoRoot);
    const result = await runCodegen({ repoRoot, check, onProgress: progress.onProgress, ...(dependencyRanges === undefined ? {} : { dependencyRanges }) });
    progress.finish();
    io.stderr(notices(result));
    if (check) {
      const report = checkSummary(result);
      if (result.drift.length > 0) {
        io.stderr(report);
        return EXIT_CODES.failure;
      }
      io.stdout(report);
      return EXIT_CODES.ok;
    }
    io.stdout(writeSummary(result, (performance.now() - started) / 1000));
    return EXIT_CODES.ok;
  } catch (error) {
    progress.finish();
    if (reportCodegenError(error, io)) return EXIT_CODES.failure;
    throw error;
  }
}

/** The `codegen` command. */
export const command: Command = {
  name: "codegen",
  summary: "Generate the events packages from schemas/ (--check, --watch).",
  help: HELP,
  options: {
    check: { type: "boolean" },
    watch: { type: "boolean" },
    root: { type: "string" },
  },
  run,
};
