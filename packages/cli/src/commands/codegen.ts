/**
 * `strata codegen [--check] [--watch] [--root <dir>]`: generates the events packages from the
 * schema catalog, checks them for drift (CI), or keeps them up to date while schemas change.
 */
import path from "node:path";

import { isCatalogError, isStrataCodegenError, runCodegen, watchCodegen } from "@strata/codegen";

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

async function watch(repoRoot: string, io: CommandIo): Promise<ExitCode> {
  io.stderr(`codegen: watching ${path.join(repoRoot, "schemas")} (Ctrl-C to stop)\n`);
  const progress = progressReporter(io.stderr, io.stderrIsTty);
  let started = performance.now();
  await watchCodegen({
    repoRoot,
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
    const result = await runCodegen({ repoRoot, check, onProgress: progress.onProgress });
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
