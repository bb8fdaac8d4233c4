#!/usr/bin/env node
// Proof from tarballs: builds and packs every publishable package, creates a fresh project in a
// temporary folder outside the workspace, installs the tarballs with npm and runs the consumer
// smoke (lib/consumer-smoke.mjs). Needs the npm registry for third-party dependencies.
// `--skip-build` packs dist/ as it is; `--keep` leaves the temporary folder for inspection.
// Closes with "tarballs: N passed, N failed"; exit code 1 on any failure.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runConsumerSmoke } from "./lib/consumer-smoke.mjs";
import { createSteps } from "./lib/steps.mjs";
import { ROOT, buildPackages, packPackages } from "./lib/workspace.mjs";

const steps = createSteps("tarballs");
const work = mkdtempSync(join(tmpdir(), "strata-tarballs-"));
let error;
try {
  if (!process.argv.includes("--skip-build")) {
    await steps.step("build every publishable package", () => buildPackages(ROOT));
  }
  const packed = await steps.step("pnpm pack every publishable package", () => packPackages(join(work, "tarballs")));
  const app = join(work, "app");
  mkdirSync(app);
  await runConsumerSmoke(steps, { app, packages: packed.map((p) => p.tarball), withBanking: packed.some((p) => p.name === "@strata/banking-events") });
} catch (caught) {
  error = caught;
} finally {
  if (process.argv.includes("--keep")) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exitCode = steps.finish(error);
