/**
 * What every `strata` command provides to the dispatcher, and what it gets from it. A command is
 * a module exporting `command`; `main.ts` lists the modules and imports only the one invoked.
 */
import type { ParseArgsConfig } from "node:util";

/** Process exit codes of `strata`, stable for scripts and CI. */
export const EXIT_CODES = {
  /** Done; for checks: nothing to report. */
  ok: 0,
  /** The command ran and found a problem the user must fix (drift, an invalid catalog). */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing value. */
  usage: 2,
  /** Work accepted but not finished: an erasure whose data key is gone while a place is still pending or failed. */
  incomplete: 3,
  /** An unexpected error inside strata; the message says what failed. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Where a command reads its environment and writes its output; replaceable in tests. */
export interface CommandIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is an interactive terminal (progress may redraw a line). */
  readonly stderrIsTty: boolean;
  /** Aborted when the user interrupts a long-running command (`--watch`). */
  readonly signal: AbortSignal;
}

/** Parsed option values, as `node:util` `parseArgs` returns them. */
export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** A `strata` subcommand. */
export interface Command {
  readonly name: string;
  /** One line, shown in `strata --help`. */
  readonly summary: string;
  /** The full `strata <name> --help` text. */
  readonly help: string;
  /** `parseArgs` options; `--help`/`-h` is added by the dispatcher. */
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  readonly allowPositionals?: boolean;
  readonly run: (values: OptionValues, positionals: readonly string[], io: CommandIo) => Promise<ExitCode>;
}
