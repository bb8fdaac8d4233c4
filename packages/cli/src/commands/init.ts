/**
 * `strata init [dir]`: a new Strata application in `dir` (default: the current folder), or the
 * Strata files added to an existing project (nothing is overwritten; package.json gains the
 * missing scripts and dependencies). `npm create strata` runs the same code.
 */
import path from "node:path";
import { createProject, InitError } from "../init/create-project.js";
import { detectPackageManager, installCommand, PACKAGE_MANAGERS, runScript } from "../init/package-manager.js";
import type { PackageManager } from "../init/package-manager.js";
import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";

const HELP = `Usage: strata init [dir] [--name <package name>] [--package-manager npm|pnpm|yarn]

Creates a Strata application in <dir> (default: the current folder): schemas/ with a context and
an event in two versions (with personal data), the generated events in src/events/, a decider and
a projection with their tests, strata.config.ts, and package.json scripts (codegen, check, test).
In an existing project nothing is overwritten: a file the template would write stops init, and
package.json only gains missing scripts and dependencies.

Options:
  --name <name>             The package name (default: the folder's name).
  --package-manager <pm>    Whose commands to print (default: the one running strata).
`;

/** Prints what to do next, spelled for `manager`. */
export function nextSteps(io: Pick<CommandIo, "stdout">, cwd: string, dir: string, manager: PackageManager): void {
  const relative = path.relative(cwd, dir);
  const cd = relative === "" ? "" : `  cd ${relative.includes(" ") ? JSON.stringify(relative) : relative}\n`;
  io.stdout(`\nCreated a Strata application in ${dir}.\n\nNext:\n${cd}  ${installCommand(manager)}\n  ${runScript(manager, "test")}\n  ${runScript(manager, "start")}\n`);
}

/** Runs the scaffold for the `init` command and for `create-strata`. */
export async function runInit(values: OptionValues, positionals: readonly string[], io: CommandIo, codegen: (root: string) => Promise<ExitCode>): Promise<ExitCode> {
  const requested = values["package-manager"];
  if (requested !== undefined && !(PACKAGE_MANAGERS as readonly unknown[]).includes(requested)) {
    io.stderr(`strata init: --package-manager must be one of ${PACKAGE_MANAGERS.join(", ")}, not "${String(requested)}".\n`);
    return EXIT_CODES.usage;
  }
  if (positionals.length > 1) {
    io.stderr(`strata init: expected at most one folder, got ${positionals.length}.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const manager = (requested as PackageManager | undefined) ?? detectPackageManager();
  const dir = path.resolve(io.cwd, positionals[0] ?? ".");
  try {
    await createProject({ dir, packageManager: manager, codegen, io, ...(typeof values["name"] === "string" ? { name: values["name"] } : {}) });
  } catch (error) {
    if (!(error instanceof InitError)) throw error;
    io.stderr(`strata init: ${error.message}\n`);
    return EXIT_CODES.failure;
  }
  nextSteps(io, io.cwd, dir, manager);
  return EXIT_CODES.ok;
}

/** The `init` command. */
export const command: Command = {
  name: "init",
  summary: "Create a Strata application (schemas, generated events, a decider, a projection, tests).",
  help: HELP,
  options: { name: { type: "string" }, "package-manager": { type: "string" } },
  allowPositionals: true,
  run: async (values, positionals, io) => {
    const codegen = (await import("./codegen.js")).command;
    return runInit(values, positionals, io, (root) => codegen.run({ root }, [], { ...io, stdout: () => undefined }));
  },
};
