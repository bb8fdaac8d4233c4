// The new-user flow against the loopback registry: from an empty HOME (no npx cache, no pnpm
// store), `npm create strata@<version> my-app` and `pnpm create strata@<version> my-app`, then in
// each project: install, its own tests, typecheck, `strata codegen --check && strata check`, and
// `start` on embedded PGlite (and on PostgreSQL when DATABASE_URL is set, in a throwaway database).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
 * Runs the flow for each package manager in `managers` (`npm`, `pnpm`, `yarn`). `env` points them
 * at the registry; `pnpmBin` and `yarnBin` are the pnpm and yarn the proofs use (lib/pnpm-bin.mjs).
 */
export async function runCreateFlow(steps, { work, env, version, pnpmBin, yarnBin, managers = ["npm", "pnpm"] }) {
  for (const manager of managers) {
    const home = mkdtempSync(join(work, `home-${manager}-`));
    // An empty HOME: nothing cached from the real one, as on a new machine; DATABASE_URL emptied so
    // that the scripts run on PGlite, and set only for the PostgreSQL step below.
    const flowEnv = { ...env, HOME: home, npm_config_cache: join(home, ".npm"), npm_config_yes: "true", DATABASE_URL: "", XDG_DATA_HOME: join(home, ".local", "share"), XDG_CACHE_HOME: join(home, ".cache") };
    if (manager === "yarn") {
      // Yarn classic reads neither NPM_CONFIG_USERCONFIG nor (everywhere) npm_config_registry.
      flowEnv.YARN_REGISTRY = env.npm_config_registry;
      // Global installs (what `yarn create` does) go under the empty HOME, not into /usr/bin.
      writeFileSync(join(home, ".yarnrc"), `registry "${env.npm_config_registry}"\nprefix "${join(home, ".yarn-global")}"\n`);
    }
    const projects = join(work, `create-${manager}`);
    mkdirSync(projects, { recursive: true });
    const app = join(projects, "my-app");
    const bins = { pnpm: pnpmBin, yarn: yarnBin };
    const pm = (args, options = {}) =>
      manager === "npm" ? run("npm", args, { cwd: app, env: flowEnv, ...options }) : run(process.execPath, [bins[manager], ...args], { cwd: app, env: flowEnv, ...options });

    await steps.step(`${manager} create strata${manager === "yarn" ? "" : `@${version}`} my-app (empty HOME)`, async () => {
      // Yarn classic takes no version in `yarn create` (it would run a bin named create-strata@x):
      // the loopback registry holds only the version under proof, so its latest is that one.
      const args = manager === "yarn" ? ["create", "strata", "my-app"] : ["create", `strata@${version}`, "my-app"];
      const { stdout } = await pm(args, { cwd: projects });
      const expected = manager === "npm" ? "npm run test" : `${manager} test`;
      if (!stdout.includes(expected)) throw new Error(`the next steps do not say "${expected}":\n${stdout}`);
      const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
      if (manifest.devDependencies?.["@strata/cli"] !== `^${version}`) throw new Error(`@strata/cli is "${manifest.devDependencies?.["@strata/cli"]}", expected ^${version}`);
    });
    await steps.step(`${manager} install in the new project`, () => pm(manager === "npm" ? ["install", ...NPM_FLAGS] : ["install"]));
    // Yarn installs no peer dependencies: the project lists @strata/runtime's peers itself.
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
