/**
 * `strata check [--json] [--against <ref>] [--changeset] [--root <dir>]`: schema evolution
 * checks — the changes between the versions of every event type, the verdict under the
 * context's compatibility mode, the upcasters each step needs, and released versions left alone.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import {
  checkCatalog,
  compareRevisions,
  formatCheckReport,
  isCatalogError,
  isRevisionReadError,
  loadCatalog,
  locateEdit,
  planChangesets,
  ValidationMemoFile,
  withCatalogAtRevision,
} from "@strata/codegen/check";
import type { CatalogCheckReport, CatalogModel, CatalogProblem, PlannedChangeset, RevisionComparison } from "@strata/codegen/check";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { findRepoRoot } from "./find-repo-root.js";

const HELP = `Usage: strata check [--json] [--against <git ref>] [--changeset] [--root <dir>]

For every event type under schemas/: lists the changes between consecutive versions (every
pair under a _TRANSITIVE mode) with their BACKWARD/FORWARD verdicts, judges them under the
context's compatibility mode, and checks the upcaster of every step. Fails when a step that
cannot be derived has no hand-written upcaster, an upcaster is still the unfilled scaffold or
has the wrong signature, a released version was edited, or the mode is violated.

Options:
  --json              Print the report as JSON (schema in https://github.com/strata-dev/strata/blob/main/docs/schema-evolution.md).
  --against <ref>     Also compare the catalog with git revision <ref> (e.g. main).
  --changeset         Write .changeset/<package>-schemas-<hash>.md for each events package
                      with unreleased versions (minor; major when FORWARD breaks).
  --root <dir>        Repository root (default: the nearest folder up with schemas/).
  -h, --help          Show this help.

Exit codes: 0 every check passed, 1 a check failed, 2 usage error, unreadable revision or
invalid catalog.
`;

const LOCK_CODES = new Set(["released-version-edited", "released-version-deleted"]);

async function reportCatalogProblems(problems: readonly CatalogProblem[], repoRoot: string, json: boolean, io: CommandIo): Promise<ExitCode> {
  const located = await Promise.all(
    problems.map(async (problem) => {
      if (problem.code !== "released-version-edited" || problem.pointer !== "") return problem;
      const pointer = await locateEdit(repoRoot, problem.file);
      return pointer === undefined ? problem : { ...problem, pointer, message: `${problem.message} (first difference from HEAD at ${pointer || "the root"})` };
    }),
  );
  // Only edits of released versions: the catalog is fine, the check failed. Anything else: invalid input.
  const exitCode = located.every((problem) => LOCK_CODES.has(problem.code)) ? EXIT_CODES.failure : EXIT_CODES.usage;
  if (json) {
    io.stdout(`${JSON.stringify({ ok: false, exitCode, events: [], problems: located, against: null, changesets: [] }, null, 2)}\n`);
  } else {
    io.stderr(`strata check: the schema catalog has ${located.length} problem(s):\n`);
    for (const problem of located) io.stderr(`  ${problem.file}#${problem.pointer}: [${problem.code}] ${problem.message}\n`);
  }
  return exitCode;
}

async function writeChangesets(repoRoot: string, planned: readonly PlannedChangeset[]): Promise<string[]> {
  const written: string[] = [];
  if (planned.length === 0) return written;
  await mkdir(path.join(repoRoot, ".changeset"), { recursive: true });
  for (const changeset of planned) {
    const file = path.join(repoRoot, ".changeset", changeset.fileName);
    try {
      await writeFile(file, changeset.content, { encoding: "utf8", flag: "wx" });
    } catch (error) {
      // The same changes give the same file name: it is already there.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    written.push(`.changeset/${changeset.fileName}`);
  }
  return written;
}

function jsonReport(report: CatalogCheckReport, comparison: RevisionComparison | undefined, changesets: readonly { readonly package: string; readonly bump: string; readonly file: string }[], exitCode: ExitCode): string {
  const events = report.events.map((event) => ({
    context: event.context,
    event: event.event,
    mode: event.mode,
    pairs: event.pairs,
    steps: event.steps.map((step) => ({ ...step.plan, status: step.status })),
  }));
  const problems = [...report.problems, ...(comparison?.problems ?? [])];
  return `${JSON.stringify({ ok: problems.length === 0, exitCode, events, problems, against: comparison ?? null, changesets }, null, 2)}\n`;
}

async function compareWith(catalogRoot: string, ref: string, catalog: CatalogModel): Promise<RevisionComparison> {
  return withCatalogAtRevision(catalogRoot, ref, async (base) => compareRevisions(ref, base, catalog));
}

async function run(values: OptionValues, _positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const json = values["json"] === true;
  const rootOption = typeof values["root"] === "string" ? path.resolve(io.cwd, values["root"]) : undefined;
  const repoRoot = rootOption ?? (await findRepoRoot(io.cwd));
  if (repoRoot === undefined) {
    io.stderr(`strata check: no schemas/ folder or pnpm-workspace.yaml found above ${io.cwd}; pass --root <dir>.\n`);
    return EXIT_CODES.usage;
  }
  const catalogRoot = path.join(repoRoot, "schemas");
  let catalog: CatalogModel;
  // Files that passed validation before are not validated again: ajv is loaded only for a change.
  const validationMemo = await ValidationMemoFile.open(repoRoot);
  try {
    catalog = await loadCatalog({ root: catalogRoot, validationMemo });
  } catch (error) {
    if (isCatalogError(error)) return reportCatalogProblems(error.problems, repoRoot, json, io);
    throw error;
  } finally {
    await validationMemo.save();
  }
  const report = await checkCatalog(catalog, { repoRoot });

  let comparison: RevisionComparison | undefined;
  const against = values["against"];
  if (typeof against === "string") {
    try {
      comparison = await compareWith(catalogRoot, against, catalog);
    } catch (error) {
      if (isRevisionReadError(error)) {
        io.stderr(`strata check: ${error.message}\n`);
        return EXIT_CODES.usage;
      }
      if (isCatalogError(error)) {
        io.stderr(`strata check: the catalog at ${against} is invalid:\n${error.problems.map((p) => `  ${p.file}#${p.pointer}: ${p.message}`).join("\n")}\n`);
        return EXIT_CODES.usage;
      }
      throw error;
    }
  }

  const problems = [...report.problems, ...(comparison?.problems ?? [])];
  const exitCode = problems.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failure;
  const changesets: { package: string; bump: string; file: string }[] = [];
  if (values["changeset"] === true && exitCode === EXIT_CODES.ok) {
    const planned = planChangesets(catalog, report);
    const files = await writeChangesets(repoRoot, planned);
    planned.forEach((changeset, index) => changesets.push({ package: changeset.package, bump: changeset.bump, file: files[index] ?? "" }));
  }

  if (json) {
    io.stdout(jsonReport(report, comparison, changesets, exitCode));
    return exitCode;
  }
  io.stdout(formatCheckReport(report, comparison));
  if (values["changeset"] === true) {
    if (exitCode !== EXIT_CODES.ok) io.stderr("strata check: no changeset written while checks fail.\n");
    else if (changesets.length === 0) io.stdout("strata check: no unreleased versions, no changeset needed.\n");
    for (const changeset of changesets) io.stdout(`strata check: wrote ${changeset.file} (${changeset.package}: ${changeset.bump})\n`);
  }
  return exitCode;
}

/** The `check` command. */
export const command: Command = {
  name: "check",
  summary: "Check schema evolution: changes, compatibility mode, upcasters (--against, --json, --changeset).",
  help: HELP,
  options: {
    json: { type: "boolean" },
    against: { type: "string" },
    changeset: { type: "boolean" },
    root: { type: "string" },
  },
  run,
};
