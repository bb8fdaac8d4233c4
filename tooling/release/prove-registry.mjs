#!/usr/bin/env node
// Proof through a real registry: starts Verdaccio on 127.0.0.1 (lib/verdaccio.mjs), takes a
// copy of the workspace, adds a changeset, runs the repository's own `pnpm version-packages`
// (changeset version + strata release, which locks the released schema versions) and
// `pnpm release` (build + changeset publish) against it, then installs the published packages
// into a fresh project from it and runs the consumer smoke, and last the new-user flow
// from an empty HOME: docs/getting-started.md run block by block with npm (lib/guide-flow.mjs),
// and `pnpm create strata` with the new project's install, tests, typecheck, check and start
// (lib/create-flow.mjs). Loopback only: Verdaccio proxies
// third-party packages to the public npm registry.
// `--keep` leaves the temporary folder. Closes with "registry: N passed, N failed".
import { readFileSync, readdirSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { run } from "./lib/exec.mjs";
import { runConsumerSmoke } from "./lib/consumer-smoke.mjs";
import { runCreateFlow } from "./lib/create-flow.mjs";
import { runGuideFlow } from "./lib/guide-flow.mjs";
import { ensurePnpm, ensureYarn } from "./lib/pnpm-bin.mjs";
import { createSteps } from "./lib/steps.mjs";
import { installVerdaccio, startVerdaccio } from "./lib/verdaccio.mjs";
import { copyWorkspace } from "./lib/workspace-copy.mjs";
import { pnpm, pnpmVersion, publishablePackages } from "./lib/workspace.mjs";

const FIXED = ["@strata/runtime", "@strata/codegen", "@strata/cli", "@strata/nats", "@strata/rabbitmq", "create-strata"];
const CHANGESET = `---
"@strata/runtime": minor
"@strata/banking-events": minor
---

Release proof: publish every package once.
`;

function schemaVersionFiles(schemas, dir = schemas) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return schemaVersionFiles(schemas, full);
    return /^v\d+\.json$/.test(name) ? [relative(schemas, full).split("\\").join("/")] : [];
  });
}

const steps = createSteps("registry");
const work = mkdtempSync(join(tmpdir(), "strata-registry-"));
let registry;
let error;
try {
  await steps.step("install Verdaccio", () => installVerdaccio());
  registry = await steps.step("start Verdaccio on 127.0.0.1", () => startVerdaccio(join(work, "verdaccio")));
  const npmrc = join(work, "npmrc");
  const host = registry.url.replace(/^http:/, "");
  writeFileSync(npmrc, `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  const env = { NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: registry.url };

  const repo = join(work, "repo");
  await steps.step("copy the workspace and install it offline", () => copyWorkspace(repo));
  const before = Object.fromEntries(publishablePackages(repo).map((p) => [p.name, p.version]));
  writeFileSync(join(repo, ".changeset", "release-proof.md"), CHANGESET);

  await steps.step("pnpm version-packages (changeset version && strata release)", () => pnpm(["run", "version-packages"], { cwd: repo, root: repo }));
  const after = Object.fromEntries(publishablePackages(repo).map((p) => [p.name, p.version]));
  await steps.check("the fixed group moved together to a new version", () => {
    const versions = new Set(FIXED.map((name) => after[name]));
    if (versions.size !== 1) throw new Error(`fixed packages have different versions: ${FIXED.map((n) => `${n}@${after[n]}`).join(", ")}`);
    for (const name of FIXED) if (after[name] === before[name]) throw new Error(`${name} stayed at ${before[name]}`);
    for (const name of FIXED) {
      if (!existsSync(join(repo, "packages", name.replace("@strata/", ""), "CHANGELOG.md"))) throw new Error(`${name} has no CHANGELOG.md`);
    }
  });
  await steps.check("the version step locked every released schema version", () => {
    const lockFile = join(repo, "schemas", "strata.lock.json");
    if (!existsSync(lockFile)) throw new Error("schemas/strata.lock.json was not written");
    const released = JSON.parse(readFileSync(lockFile, "utf8")).released ?? {};
    const missing = schemaVersionFiles(join(repo, "schemas")).filter((file) => released[file] === undefined);
    if (missing.length > 0) throw new Error(`not locked: ${missing.join(", ")}`);
  });

  await steps.step("pnpm release (build + changeset publish) to Verdaccio", () => pnpm(["run", "release"], { cwd: repo, root: repo, env }));
  await steps.check("every package is on the registry at its new version", async () => {
    for (const [name, version] of Object.entries(after)) {
      const { stdout } = await run("npm", ["view", `${name}@${version}`, "version"], { cwd: work, env });
      if (stdout.trim() !== version) throw new Error(`${name}@${version} is not on ${registry.url} (npm view printed "${stdout.trim()}")`);
    }
  });

  const app = join(work, "app");
  mkdirSync(app);
  const packages = Object.entries(after).map(([name, version]) => `${name}@${version}`);
  await runConsumerSmoke(steps, { app, packages, env, withBanking: "@strata/banking-events" in after });
  const { bin: pnpmBin } = await ensurePnpm(pnpmVersion());
  await runGuideFlow(steps, { work, env, version: after["create-strata"] });
  const { bin: yarnBin } = await ensureYarn();
  await runCreateFlow(steps, { work, env, version: after["create-strata"], pnpmBin, yarnBin, managers: ["pnpm", "yarn"] });
} catch (caught) {
  error = caught;
} finally {
  await registry?.stop();
  if (process.argv.includes("--keep")) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exitCode = steps.finish(error);
