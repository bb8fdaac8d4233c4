// The monorepo as the proofs see it: where it is, which packages it publishes, how to build and
// pack them with the pnpm version the repository pins.
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { run } from "./exec.mjs";
import { ensurePnpm, pathWithPnpm } from "./pnpm-bin.mjs";

/** The monorepo's root folder. */
export const ROOT = join(import.meta.dirname, "..", "..", "..");

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The pnpm version from the root `packageManager` field, e.g. "10.34.9". */
export function pnpmVersion(root = ROOT) {
  const manager = readJson(join(root, "package.json")).packageManager ?? "";
  const version = manager.startsWith("pnpm@") ? manager.slice("pnpm@".length).split("+")[0] : undefined;
  if (!version) throw new Error(`${join(root, "package.json")} has no "packageManager": "pnpm@<version>" field.`);
  return version;
}

/**
 * Runs the pinned pnpm in `cwd`, from a local install (lib/pnpm-bin.mjs) rather than npx, so a
 * registry override in `options.env` never decides where pnpm itself comes from. Scripts that
 * call `pnpm` find the same binary first in PATH.
 */
export async function pnpm(args, options = {}) {
  const { bin, binDir } = await ensurePnpm(pnpmVersion(options.root ?? ROOT));
  const env = { ...options.env, PATH: pathWithPnpm(binDir, options.env?.PATH) };
  return run(process.execPath, [bin, ...args], { ...options, env });
}

/** Every package under `packages/` that is not private: `{ name, version, dir }`, sorted by name. */
export function publishablePackages(root = ROOT) {
  const base = join(root, "packages");
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, "package.json")))
    .map((entry) => ({ dir: join(base, entry.name), manifest: readJson(join(base, entry.name, "package.json")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Builds every publishable package, dependencies first (`pnpm -r` runs in topological order). */
export async function buildPackages(root = ROOT) {
  await pnpm(["--filter", "./packages/*", "--workspace-concurrency=1", "run", "build"], { cwd: root, root });
}

/**
 * Packs every publishable package with `pnpm pack` into `destination` (pnpm applies
 * `publishConfig` and rewrites `workspace:` and `catalog:` ranges, as `pnpm publish` does).
 * Resolves to `{ name, version, tarball }` per package.
 */
export async function packPackages(destination, root = ROOT) {
  mkdirSync(destination, { recursive: true });
  const packages = publishablePackages(root);
  const filters = packages.flatMap((pkg) => ["--filter", pkg.name]);
  const { stdout } = await pnpm([...filters, "pack", "--json", "--pack-destination", destination], { cwd: root, root });
  const parsed = JSON.parse(stdout.slice(stdout.search(/[[{]/)));
  const results = Array.isArray(parsed) ? parsed : [parsed];
  return packages.map((pkg) => {
    const result = results.find((entry) => entry.name === pkg.name);
    if (result === undefined) throw new Error(`pnpm pack printed no tarball for ${pkg.name}`);
    const tarball = result.filename.startsWith("/") ? result.filename : join(destination, result.filename);
    return { name: pkg.name, version: result.version, tarball, files: result.files.map((f) => f.path) };
  });
}
