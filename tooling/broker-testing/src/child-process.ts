/** The test side of the crash tests: starting a child fixture and stopping it. */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/**
 * Starts `entry` (a TypeScript file) in a child Node.js process with its configuration in
 * STRATA_CHILD, feeds every line it prints to `onLine`, and resolves once it prints `started`.
 * Rejects if the child exits before that.
 */
export function startChildProcess(entry: string, config: Record<string, unknown>, onLine: (line: string) => void): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=@strata/source", "--import", "tsx", entry], { env: { ...process.env, STRATA_CHILD: JSON.stringify(config) }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`child ${entry} exited early with ${code}`)));
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) {
        if (line === "started") resolve(child);
        onLine(line);
      }
    });
  });
}

/** Sends `signal` to a child started by {@link startChildProcess} and waits for it to exit. */
export async function stopChildProcess(child: ChildProcess, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}
