/**
 * How `strata codegen` reports: progress while emitting, then a short summary. Kept apart from
 * the command so the wording is tested on its own.
 */
import { detectPackageManager, strataCommand } from "../init/package-manager.js";
import type { CodegenProgress, CodegenResult } from "@strata/codegen";

/** Runs with more event types than this report progress even when stderr is not a terminal. */
export const PROGRESS_THRESHOLD = 100;

/**
 * A progress reporter. On a terminal it redraws one line (`codegen: banking (3/11 events)`);
 * otherwise, for large catalogs only, it prints a line at each quarter, so CI logs stay short.
 * `finish` clears the redrawn line.
 */
export function progressReporter(write: (text: string) => void, isTty: boolean): { onProgress: (p: CodegenProgress) => void; finish: () => void } {
  let drawn = false;
  let lastQuarter = 0;
  return {
    onProgress: (progress) => {
      const line = `codegen: ${progress.context} (${progress.done}/${progress.total} events)`;
      if (isTty) {
        write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      if (progress.total <= PROGRESS_THRESHOLD) return;
      const quarter = Math.floor((progress.done * 4) / progress.total);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        write(`${line}\n`);
      }
    },
    finish: () => {
      if (drawn) write("\r\x1b[2K");
      drawn = false;
    },
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The summary of a normal run: what was written and deleted, one path per line. */
export function writeSummary(result: CodegenResult, seconds: number): string {
  const lines = [
    ...result.written.map((file) => `  wrote   ${file}`),
    ...result.stale.map((file) => `  deleted ${file}`),
  ];
  const head =
    `codegen: ${plural(result.eventCount, "event type")} in ${plural(result.contexts.length, "context")}: ` +
    `${plural(result.written.length, "file")} written, ${plural(result.stale.length, "stale file")} deleted, ` +
    `${result.unchanged.length} unchanged (${seconds.toFixed(1)} s)`;
  return `${[head, ...lines].join("\n")}\n`;
}

/**
 * Warnings about hand-written upcasters and leftovers that codegen never deletes itself; empty
 * when there is nothing to say. Printed to stderr by every mode (run, `--check`, `--watch`).
 */
export function notices(result: CodegenResult): string {
  const lines = [
    ...result.warnings.map((warning) => `codegen: warning: ${warning.path}: ${warning.message}`),
    ...result.leftovers.map((leftover) => `codegen: ${leftover.kind} ${leftover.path}: ${leftover.detail}`),
  ];
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** The report of `--check`: empty drift passes, anything else lists every file. */
export function checkSummary(result: CodegenResult): string {
  if (result.drift.length === 0) {
    return `codegen --check: generated code is up to date (${plural(result.unchanged.length, "file")}).\n`;
  }
  const lines = result.drift.map((entry) => `  ${entry.kind.padEnd(7)} ${entry.path}`);
  return `codegen --check: ${plural(result.drift.length, "file")} out of date:\n${lines.join("\n")}\nRun \`${strataCommand(detectPackageManager())} codegen\` and commit the result${
    result.leftovers.length > 0 ? "; remove leftover packages and upcasters by hand (codegen never deletes them)" : ""
  }.\n`;
}
