// The pnpm the proofs run, installed once with npm into tooling/release/.cache from the registry
// npm is configured with (never the loopback Verdaccio). Running pnpm through `npx pnpm@x` while
// `npm_config_registry` points at Verdaccio made npx resolve pnpm there: from an empty HOME (no
// npx cache) that depends on Verdaccio proxying pnpm's very large packument in time, and CI saw
// a 404. A pinned local install has no such dependency and starts faster than npx.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

import { run } from "./exec.mjs";

const CACHE = join(import.meta.dirname, "..", ".cache");

/** Where pnpm `version` lives once installed: `{ bin, binDir }`. */
export function pnpmPaths(version) {
  const dir = join(CACHE, `pnpm-${version}`);
  return { dir, bin: join(dir, "node_modules", "pnpm", "bin", "pnpm.cjs"), binDir: join(dir, "node_modules", ".bin") };
}

/**
 * Installs the npm package `name`@`version` into its own cache folder unless `bin` (a path in
 * that folder) is there already. Registry settings that a caller's environment may carry for
 * Verdaccio are removed, so this always asks the registry of the user's npm configuration.
 */
async function ensureCachedTool(name, version, dir, bin) {
  if (existsSync(bin)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, dependencies: { [name]: version } }, null, 2)}\n`);
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(registry|userconfig)$/i.test(key)) delete env[key];
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-package-lock"], { cwd: dir, env, replaceEnv: true });
}

/** Installs pnpm `version` into the cache folder unless it is there; resolves to {@link pnpmPaths}. */
export async function ensurePnpm(version) {
  const paths = pnpmPaths(version);
  await ensureCachedTool("pnpm", version, paths.dir, paths.bin);
  return paths;
}

/** Yarn classic, the yarn a new user most often has; installed like pnpm, for the create flow. */
export const YARN_VERSION = "1.22.22";

/** Installs yarn {@link YARN_VERSION} into the cache folder unless it is there; resolves to its bin script. */
export async function ensureYarn() {
  const dir = join(CACHE, `yarn-${YARN_VERSION}`);
  const bin = join(dir, "node_modules", "yarn", "bin", "yarn.js");
  await ensureCachedTool("yarn", YARN_VERSION, dir, bin);
  return { bin };
}

/** `PATH` with pnpm's bin folder first, so scripts that call `pnpm` get the same one. */
export function pathWithPnpm(binDir, path = process.env["PATH"] ?? "") {
  return `${binDir}${delimiter}${path}`;
}
