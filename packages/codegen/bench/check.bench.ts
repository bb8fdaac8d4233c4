/**
 * `pnpm bench:check`: times `strata check` — on the synthetic catalog of 300 event types × 3
 * versions (synthetic-catalog.ts) in a fresh Node process through `@strata/codegen/check` (the
 * built one after `pnpm build`, else the sources), and on
 * the banking catalog through the built CLI (`packages/cli/bin/strata.js`, after `pnpm build`).
 * Figures are printed, never asserted. Goals: 300 × 3 under 5 s; banking under 0.5 s wall.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type * as CheckApiModule from "../src/check-api.js";
import { writeSyntheticCatalog } from "./synthetic-catalog.js";

type CheckApi = typeof CheckApiModule;

const CONTEXTS = 3;
const EVENTS_PER_CONTEXT = 100;
const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const CLI = path.join(REPO, "packages/cli/bin/strata.js");

/** In the child: one cold check of the catalog at `repoRoot`, with the built package when there is one. */
async function child(repoRoot: string): Promise<void> {
  const built = new URL("../dist/check-api.js", import.meta.url);
  const api = (existsSync(built) ? await import(built.href) : await import("../src/check-api.js")) as CheckApi;
  const { checkCatalog, loadCatalog } = api;
  const report = await checkCatalog(await loadCatalog({ root: path.join(repoRoot, "schemas") }), { repoRoot });
  const pairs = report.events.reduce((n, event) => n + event.pairs.length, 0);
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ pairs, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

function timed(args: readonly string[]): Promise<{ seconds: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", () => resolve({ seconds: (performance.now() - started) / 1000, output }));
  });
}

async function bench(): Promise<void> {
  const [load = 0] = loadavg();
  console.log(`load average ${load.toFixed(1)} on ${availableParallelism()} cores (wall times depend on it; cpu time shows the work)`);
  const repoRoot = await mkdtemp(path.join(tmpdir(), "strata-check-bench-"));
  try {
    const events = await writeSyntheticCatalog(repoRoot, CONTEXTS, EVENTS_PER_CONTEXT);
    const { seconds, output } = await timed([...process.execArgv, import.meta.filename, "--child", repoRoot]);
    const report = JSON.parse(output) as { pairs: number; cpuSeconds: number };
    const source = existsSync(new URL("../dist/check-api.js", import.meta.url)) ? "built @strata/codegen/check" : "TypeScript sources";
    console.log(`synthetic (${source}): ${events} event types × 3 versions, ${report.pairs} pairs judged both ways: ${seconds.toFixed(2)} s wall, ${report.cpuSeconds.toFixed(2)} s cpu (goal 5 s)`);
  } finally {
    await rm(repoRoot, { recursive: true, force: true });
  }
  if (!existsSync(path.join(REPO, "packages/cli/dist/main.js"))) {
    console.log("banking: build first (pnpm build) to time the built CLI");
    return;
  }
  await timed([CLI, "check", "--root", REPO]); // warms the upcaster-inspection cache
  const runs = [];
  for (let i = 0; i < 5; i += 1) runs.push((await timed([CLI, "check", "--root", REPO])).seconds);
  const baseline = (await timed(["-e", ""])).seconds;
  runs.sort((a, b) => a - b);
  console.log(`banking, built CLI: median ${(runs[2] ?? 0).toFixed(2)} s wall over 5 runs (best ${(runs[0] ?? 0).toFixed(2)} s; bare node startup ${baseline.toFixed(2)} s; goal 0.5 s)`);
}

const childIndex = process.argv.indexOf("--child");
const childRoot = childIndex === -1 ? undefined : process.argv[childIndex + 1];
await (childRoot === undefined ? bench() : child(childRoot));
