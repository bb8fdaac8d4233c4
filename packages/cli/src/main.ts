/**
 * The `strata` dispatcher: finds the command, parses its options with `node:util` `parseArgs`,
 * answers `--help`, and turns errors into exit codes. Commands are imported lazily, so
 * `strata codegen` never loads the runtime and `strata --help` loads nothing.
 *
 * To add a command: create `commands/<name>.ts` exporting `command: Command`, then add one line
 * to {@link COMMANDS}.
 */
import { parseArgs } from "node:util";

import { readFileSync } from "node:fs";
import { EXIT_CODES } from "./commands/command.js";
import type { Command, CommandIo, ExitCode } from "./commands/command.js";

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/** Every `strata` command, by name. */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  codegen: {
    summary: "Generate the events packages from schemas/ (--check, --watch).",
    load: async () => (await import("./commands/codegen.js")).command,
  },
  init: {
    summary: "Create a Strata application: schemas, generated events, a decider, a projection, tests.",
    load: async () => (await import("./commands/init.js")).command,
  },
  check: {
    summary: "Check schema evolution: changes, compatibility mode, upcasters (--against, --json, --changeset).",
    load: async () => (await import("./commands/check.js")).command,
  },
  "new-version": {
    summary: "Copy the latest version of an event type to v<N+1>, ready to edit.",
    load: async () => (await import("./commands/new-version.js")).command,
  },
  release: {
    summary: "Lock every schema version as released in schemas/strata.lock.json (the changesets version step).",
    load: async () => (await import("./commands/release.js")).command,
  },
  migrate: {
    summary: "Create or upgrade the event store's tables (--database-url, --data-dir, --schema).",
    load: async () => (await import("./commands/migrate.js")).command,
  },
  erase: { summary: "Erase a data subject's personal data (crypto-shredding) with an audit record (--reason).", load: async () => (await import("./commands/erase.js")).command },
  "export-subject": { summary: "Export every personal-data field of a subject, decrypted, as JSON (GDPR Art. 15).", load: async () => (await import("./commands/export-subject.js")).command },
  keys: { summary: "Manage keys: generate prints a new KEK; rotate-kek re-wraps every data key with the current KEK.", load: async () => (await import("./commands/keys.js")).command },
  projections: { summary: "Projections: status, retry, skip, rebuild (reads strata.config.ts).", load: async () => (await import("./commands/projections.js")).command },
};

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary ?? ""}`);
  return `Usage: strata <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun strata <command> --help for a command's options, strata --version for the version.\n`;
}

/** This CLI's version: two folders up from both src/ and dist/ is the package root. */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/**
 * " Did you mean …?" from @strata/runtime, loaded only on this error path: `strata --help` and
 * `strata <command>` keep loading nothing they do not run.
 */
async function didYouMean(name: string, candidates: Iterable<string>): Promise<string> {
  return (await import("@strata/runtime/did-you-mean")).didYouMean(name, candidates);
}

/** `parseArgs`'s message for an unknown option, with the closest known option suggested. */
async function optionMessage(error: unknown, command: Command): Promise<string> {
  const text = message(error);
  const unknown = /Unknown option '(--?[^']+)'/.exec(text)?.[1];
  if (unknown === undefined) return text;
  const known = [...Object.keys(command.options).map((name) => `--${name}`), "--help"];
  return `${text.replace(/\.?$/, ".")}${await didYouMean(unknown, known)}`;
}

function defaultIo(): CommandIo {
  let controller: AbortController | undefined;
  return {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    // Ctrl-C is taken over only by commands that ask for the signal (`--watch`); the others
    // keep Node's default of exiting at once.
    get signal() {
      if (controller === undefined) {
        const created = new AbortController();
        const interrupt = (): void => created.abort();
        process.once("SIGINT", interrupt);
        process.once("SIGTERM", interrupt);
        controller = created;
      }
      return controller.signal;
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the `strata` command with the given arguments and resolves to its exit code
 * (see `EXIT_CODES`: 0 ok, 1 a problem to fix, 2 a usage error, 70 an internal error).
 *
 * @example
 * ```ts
 * process.exitCode = await main(["codegen", "--check"]);
 * ```
 */
export async function main(argv: readonly string[], io: CommandIo = defaultIo()): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout(`${version()}\n`);
    return EXIT_CODES.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.stderr(`strata: unknown command "${name}".${await didYouMean(name, Object.keys(COMMANDS))}\n\n${usage()}`);
    return EXIT_CODES.usage;
  }
  const command = await entry.load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    io.stderr(`strata ${name}: ${await optionMessage(error, command)}\n\n${command.help}`);
    return EXIT_CODES.usage;
  }
  if (parsed.values["help"] === true) {
    io.stdout(command.help);
    return EXIT_CODES.ok;
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (error) {
    io.stderr(`strata ${name}: unexpected error: ${message(error)}\n`);
    if (process.env["STRATA_DEBUG"] !== undefined && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
    return EXIT_CODES.internal;
  }
}
