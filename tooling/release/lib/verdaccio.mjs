// A throwaway Verdaccio for the registry proof: installed with npm into tooling/release/.cache
// (every Verdaccio 6 release depends on `node-fetch@cjs`, a dist-tag the registry no longer has,
// so it needs an npm `overrides` entry that the pnpm workspace should not carry), configured in a
// temporary folder, listening on 127.0.0.1 only. `@strata/*` and `@acme/*` are served only from
// its own storage (never proxied, so a public package of the same name cannot leak in);
// everything else is proxied to the public npm registry.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

import { run } from "./exec.mjs";

export const VERDACCIO_VERSION = "6.8.0";
const CACHE = join(import.meta.dirname, "..", ".cache", `verdaccio-${VERDACCIO_VERSION}`);
const BIN = join(CACHE, "node_modules", "verdaccio", "bin", "verdaccio");

/** Installs Verdaccio into the cache folder unless it is already there. */
export async function installVerdaccio() {
  if (existsSync(BIN)) return;
  mkdirSync(CACHE, { recursive: true });
  const manifest = { private: true, dependencies: { verdaccio: VERDACCIO_VERSION }, overrides: { "node-fetch": "^2.7.0" } };
  writeFileSync(join(CACHE, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-package-lock"], { cwd: CACHE });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function config(storage, port) {
  return `storage: ${storage}/storage
auth:
  htpasswd:
    file: ${storage}/htpasswd
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
packages:
  "@strata/*":
    access: $all
    publish: $authenticated
  "@acme/*":
    access: $all
    publish: $authenticated
  "**":
    access: $all
    publish: $authenticated
    proxy: npmjs
listen: 127.0.0.1:${port}
server:
  keepAliveTimeout: 60
log: { type: stdout, format: pretty, level: warn }
`;
}

/**
 * Starts Verdaccio with its config and storage under `dir`; resolves to
 * `{ url, token, stop() }` once it answers, with a user created for publishing.
 */
export async function startVerdaccio(dir) {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.yaml"), config(dir, port));
  const child = spawn(process.execPath, [BIN, "--config", join(dir, "config.yaml")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    for (let attempt = 0; ; attempt += 1) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}:\n${output}`);
      try {
        if ((await fetch(`${url}-/ping`)).ok) break;
      } catch {
        // not listening yet
      }
      if (attempt > 150) throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const user = { name: "strata-release", password: "release-proof-only" };
    const response = await fetch(`${url}-/user/org.couchdb.user:${user.name}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ _id: `org.couchdb.user:${user.name}`, name: user.name, password: user.password, type: "user", roles: [] }),
    });
    const body = await response.json();
    if (!response.ok || typeof body.token !== "string") throw new Error(`verdaccio refused to create a user: ${response.status} ${JSON.stringify(body)}`);
    return { url, token: body.token, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}
