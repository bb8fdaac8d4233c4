/**
 * The app as a separate process (`src/main.ts` through tsx), for tests that kill it: it listens
 * on a port of its own, on the PostgreSQL server, in schemas of its own.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));


/** A started app process. */
export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** `kill -9`: no graceful stop, no flush, no lease released. */
  kill9(): Promise<void>;
  /** SIGSTOP: the process runs no code (and so commits nothing more) until {@link resume}. */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` with `args` and `env` on a port the system picks (other suites may run the
 * app at the same time), and resolves once its log says where it listens.
 */
export async function startAppProcess(args: readonly string[], env: Readonly<Record<string, string>>): Promise<AppProcess> {
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the app in a child process,
  // which a SIGKILL of the CLI would leave running.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@strata/source", "src/main.ts", "--port", "0", ...args], {
    cwd: APP_DIR,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error("the app did not listen within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`the app exited with ${code} before listening`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const entry = (() => { try { return JSON.parse(line) as { msg?: string; url?: string }; } catch { return {}; } })();
        if (entry.msg === "banking app listening" && entry.url !== undefined) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      }
    });
  });
  return {
    url,
    child,
    kill9: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    pause: () => void child.kill("SIGSTOP"),
    resume: () => void child.kill("SIGCONT"),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
