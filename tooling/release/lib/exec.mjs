// Runs a command, capturing its output; on failure the error carries the command and the tail of
// what it printed, so a failed proof step says why without scrolling through every install log.
import { spawn } from "node:child_process";

const TAIL = 4000;

/** A command that exited non-zero, timed out or could not start. */
export class CommandError extends Error {
  code = "STRATA_RELEASE_COMMAND";

  constructor(message, output, options) {
    super(message, options);
    this.name = "CommandError";
    this.output = output;
  }
}

function tail(text, size = TAIL) {
  return text.length > size ? `…${text.slice(-size)}` : text;
}

/**
 * Runs `command args` in `cwd` and resolves to `{ stdout, stderr }`. Rejects with a
 * {@link CommandError} (carrying the last `tailChars` of the output) on a non-zero exit or after `timeoutMs`.
 * `env` is merged over `process.env`, or used alone with `replaceEnv: true`.
 */
export function run(command, args, { cwd, env = {}, replaceEnv = false, timeoutMs = 10 * 60_000, input, tailChars = TAIL } = {}) {
  const shown = [command, ...args].join(" ");
  if (process.env["STRATA_RELEASE_VERBOSE"]) console.log(`    $ ${shown}  (in ${cwd})`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: replaceEnv ? env : { ...process.env, ...env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new CommandError(`\`${shown}\` could not start: ${error.message}`, "", { cause: error }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const why = signal ? `was stopped (${signal}${signal === "SIGTERM" ? `, over ${timeoutMs / 1000} s` : ""})` : `exited ${code}`;
      reject(new CommandError(`\`${shown}\` in ${cwd} ${why}`, tail(`${stdout}\n${stderr}`.trim(), tailChars)));
    });
  });
}
