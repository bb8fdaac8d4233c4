import type { CommandIo } from "../command.js";

/** A `CommandIo` for tests: no terminal, no signal handling, and everything written kept for assertions. */
export function captureIo(cwd: string): CommandIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stderrIsTty: false,
    signal: new AbortController().signal,
    out: () => out.join(""),
    err: () => err.join(""),
  };
}
