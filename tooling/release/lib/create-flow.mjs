// The new-user flow against the loopback registry: from an empty HOME (no npx cache, no pnpm
// store), `npm create strata@<version> my-app` and `pnpm create strata@<version> my-app`, then in
// each project: install, its own tests, typecheck, `strata codegen --check && strata check`, and
// `start` on embedded PGlite (and on PostgreSQL when DATABASE_URL is set, in a throwaway database).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import { run } from "./exec.mjs";

const NPM_FLAGS = ["--no-audit", "--no-fund", "--loglevel=error"];

/** A database on the server at `url` for one flow; `{ url, drop() }`, or undefined without a server. */
async function throwawayDatabase(url) {
  if (!url) return undefined;
  const name = `strata_create_${randomBytes(4).toString("hex")}`;
  await run("psql", [url, "-v", "ON_ERROR_STOP=1", "-c", `CREATE DATABASE ${name}`], { cwd: process.cwd() });
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.href, drop: () => run("psql", [url, "-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { cwd: process.cwd() }).catch(() => undefined) };
}

/**
 * Runs the flow for each package manager in `managers` (`npm`, `pnpm`). `env` points npm and
 * pnpm at the registry; `pnpmBin` is the pnpm the proofs use (lib/pnpm-bin.mjs).
 */
export async function runCreateFlow(steps, { work, env, version, pnpmBin, managers = ["npm", "pnpm"] }) {
  for (const manager of managers) {
    const home = mkdtempSync(join(work, `home-${manager}-`));
    // An empty HOME: nothing cached from the real one, as on a new machine; DATABASE_URL emptied so
    // that the scripts run on PGlite, and set only for the PostgreSQL step below.
    const flowEnv = { ...env, HOME: home, npm_config_cache: join(home, ".npm"), npm_config_yes: "true", DATABASE_URL: "", XDG_DATA_HOME: join(home, ".local", "share"), XDG_CACHE_HOME: join(home, ".cache") };
    const projects = join(work, `create-${manager}`);
    mkdirSync(projects, { recursive: true });
    const app = join(projects, "my-app");
    const pm = (args, options = {}) =>
      manager === "npm" ? run("npm", args, { cwd: app, env: flowEnv, ...options }) : run(process.execPath, [pnpmBin, ...args], { cwd: app, env: flowEnv, ...options });

    await steps.step(`${manager} create strata@${version} my-app (empty HOME)`, async () => {
      const args = manager === "npm" ? ["create", `strata@${version}`, "my-app"] : ["create", `strata@${version}`, "my-app"];
      const { stdout } = await pm(args, { cwd: projects });
      const expected = manager === "npm" ? "npm run test" : "pnpm test";
      if (!stdout.includes(expected)) throw new Error(`the next steps do not say "${expected}":\n${stdout}`);
      const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
      if (manifest.devDependencies?.["@strata/cli"] !== `^${version}`) throw new Error(`@strata/cli is "${manifest.devDependencies?.["@strata/cli"]}", expected ^${version}`);
    });
    await steps.step(`${manager} install in the new project`, () => pm(manager === "npm" ? ["install", ...NPM_FLAGS] : ["install"]));
    for (const script of ["test", "typecheck", "check", "start"]) {
      await steps.check(`${manager} run ${script} in the new project`, () => pm(["run", script]));
    }
    const database = await throwawayDatabase(process.env["DATABASE_URL"]);
    if (database !== undefined) {
      try {
        await steps.check(`${manager} run start with DATABASE_URL (PostgreSQL)`, () => pm(["run", "start"], { env: { ...flowEnv, DATABASE_URL: database.url } }));
      } finally {
        await database.drop();
      }
    }
    rmSync(home, { recursive: true, force: true });
  }
}
