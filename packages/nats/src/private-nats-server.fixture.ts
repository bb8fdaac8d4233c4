/**
 * Test fixture: a private nats-server with JetStream on a free port and its own store directory,
 * so a test can restart it without disturbing the shared server other tests use.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const BINARY = process.env["NATS_SERVER_BIN"] ?? "/usr/sbin/nats-server";

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A private server: `url`, `restart()` (stop, then start on the same port and store), `stop()`. */
export interface PrivateNatsServer {
  readonly url: string;
  restart(options?: { readonly downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a private nats-server with JetStream. */
export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(path.join(tmpdir(), "strata-nats-"));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(BINARY, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir], { stdio: "ignore" });
    await waitFor(() => answers(port), 20_000, `nats-server on port ${port}`);
  };
  const halt = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `127.0.0.1:${port}`,
    restart: async (options = {}) => {
      await halt();
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 500));
      await start();
    },
    stop: async () => {
      await halt();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
