#!/usr/bin/env node
// Builds and packs every publishable package, then lints what would ship: publint and
// @arethetypeswrong/cli (ESM-only profile) on each tarball, plus Strata's own manifest checks
// (lib/manifest-checks.mjs). `--skip-build` packs the dist/ folders as they are. Closes with "packages: N passed, N failed"; exit code 1 on any failure.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { run } from "./lib/exec.mjs";
import { isBinOnly, manifestProblems } from "./lib/manifest-checks.mjs";
import { createSteps } from "./lib/steps.mjs";
import { ROOT, buildPackages, packPackages } from "./lib/workspace.mjs";

const bin = (name) => join(import.meta.dirname, "node_modules", ".bin", name);
const steps = createSteps("packages");
const work = mkdtempSync(join(tmpdir(), "strata-packages-"));
let error;
try {
  if (!process.argv.includes("--skip-build")) {
    await steps.step("build every publishable package (tsc -p tsconfig.build.json)", () => buildPackages(ROOT));
  }
  await steps.check("the manifest checks reject what must not ship", () => {
    const broken = {
      name: "@strata/broken",
      type: "module",
      exports: { ".": { "@strata/source": "./src/index.ts", default: "./dist/index.js", types: "./dist/index.d.ts" } },
      dependencies: { "@strata/runtime": "workspace:*", zod: "catalog:" },
    };
    const found = manifestProblems(broken).join("\n");
    for (const expected of ["@strata/source", "workspace:*", "catalog:", '"types" first', '"repository" is missing', '"files" is missing']) {
      if (!found.includes(expected)) throw new Error(`manifestProblems missed ${expected}; it found:\n${found}`);
    }
  });
  const packed = await steps.step("pnpm pack every publishable package", () => packPackages(join(work, "tarballs")));
  for (const { name, tarball } of packed) {
    // The published manifest, read from the tarball once for both checks that need it.
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    await steps.check(`${name}: published package.json`, () => {
      const problems = manifestProblems(manifest);
      if (problems.length > 0) throw new Error(problems.join("\n"));
    });
    await steps.check(`${name}: publint --strict`, () => run(bin("publint"), ["run", tarball, "--strict"], { cwd: work }));
    // attw checks the types of what can be imported; a bin-only package (create-strata) has none.
    if (isBinOnly(manifest)) continue;
    await steps.check(`${name}: attw --profile esm-only`, () => run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "table-flipped"], { cwd: work }));
  }
} catch (caught) {
  error = caught;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = steps.finish(error);
