/**
 * `strata release [--root <dir>]`: records every schema version of the catalog as released in
 * `schemas/strata.lock.json`, so a version that shipped can never change afterwards. Runs as part
 * of the changesets version step (`pnpm version-packages`).
 */
import path from "node:path";

import { isCatalogError, isStrataCodegenError, recordRelease } from "@strata/codegen";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { findRepoRoot } from "./find-repo-root.js";

const HELP = `Usage: strata release [--root <dir>]

Records every schema version under schemas/ as released in schemas/strata.lock.json (with its
content hash), so codegen and CI refuse any later edit to it. Run it when the packages are
versioned for a release: the repository's "version-packages" script runs
"changeset version && strata release". Idempotent: versions already locked are left alone.

Options:
  --root <dir>  Repository root (default: the nearest folder up with schemas/ or pnpm-workspace.yaml).
  -h, --help    Show this help.

Exit codes: 0 recorded or nothing new, 1 an invalid catalog (nothing written), 2 usage error.
`;

async function run(values: OptionValues, _positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const rootOption = typeof values["root"] === "string" ? path.resolve(io.cwd, values["root"]) : undefined;
  const repoRoot = rootOption ?? (await findRepoRoot(io.cwd));
  if (repoRoot === undefined) {
    io.stderr(`strata release: no schemas/ folder or pnpm-workspace.yaml found above ${io.cwd}; pass --root <dir>.\n`);
    return EXIT_CODES.usage;
  }
  try {
    const { added } = await recordRelease(path.join(repoRoot, "schemas"));
    if (added.length === 0) io.stdout("release: every schema version was already locked.\n");
    else io.stdout(`release: locked ${added.length} file(s) in schemas/strata.lock.json:\n${added.map((file) => `  ${file}\n`).join("")}`);
    return EXIT_CODES.ok;
  } catch (error) {
    if (isCatalogError(error)) {
      io.stderr(`release: the schema catalog has ${error.problems.length} problem(s); nothing was locked.\n`);
      for (const problem of error.problems) io.stderr(`${problem.file}#${problem.pointer}: ${problem.message}\n`);
      return EXIT_CODES.failure;
    }
    if (isStrataCodegenError(error)) {
      io.stderr(`release: ${error.message}\nNothing was locked.\n`);
      return EXIT_CODES.failure;
    }
    throw error;
  }
}

/** The `release` command. */
export const command: Command = {
  name: "release",
  summary: "Lock every schema version as released in schemas/strata.lock.json (the changesets version step).",
  help: HELP,
  options: { root: { type: "string" } },
  run,
};
