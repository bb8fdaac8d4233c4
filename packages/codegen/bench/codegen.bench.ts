/**
 * `pnpm bench:codegen`: times a cold `strata codegen` of a synthetic catalog of 300 event types
 * × 3 versions (see synthetic-catalog.ts). The run happens in a fresh Node process, so module
 * loading counts; the figure is printed, not asserted. Goal: under 15 s on a 2-core machine.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";

import { writeSyntheticCatalog } from "./synthetic-catalog.js";

const CONTEXTS = 3;
const EVENTS_PER_CONTEXT = 100;
const GOAL_SECONDS = 15;

/** In the child: one cold codegen run of the catalog at `repoRoot`. */
async function child(repoRoot: string): Promise<void> {
  const { runCodegen } = await import("../src/pipeline/run-codegen.js");
  const result = await runCodegen({ repoRoot });
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ files: result.written.length, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

interface ChildReport {
  readonly files: number;
  readonly cpuSeconds: number;
}

function runChild(repoRoot: string): Promise<{ seconds: number; report: ChildReport }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--child", repoRoot], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      if (code === 0) resolve({ seconds: (performance.now() - started) / 1000, report: JSON.parse(output) as ChildReport });
      else reject(new Error(`codegen child exited with ${code}`));
    });
  });
}

async function bench(): Promise<void> {
  const repoRoot = await mkdtemp(path.join(tmpdir(), "strata-bench-"));
  try {
    const events = await writeSyntheticCatalog(repoRoot, CONTEXTS, EVENTS_PER_CONTEXT);
    const [loadBefore = 0] = loadavg();
    const { seconds, report } = await runChild(repoRoot);
    const verdict = seconds < GOAL_SECONDS ? "within" : "OVER";
    console.log(`codegen bench: ${events} event types × 3 versions → ${report.files} files written`);
    console.log(`cold strata codegen: ${seconds.toFixed(2)} s (${(events / seconds).toFixed(0)} events/s), ${verdict} the ${GOAL_SECONDS} s goal`);
    // On a shared machine the wall time depends on its load; CPU time shows the work itself.
    console.log(`cpu time ${report.cpuSeconds.toFixed(2)} s; load average before the run ${loadBefore.toFixed(1)} on ${availableParallelism()} cores`);
  } finally {
    await rm(repoRoot, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf("--child");
const childRoot = childIndex === -1 ? undefined : process.argv[childIndex + 1];
await (childRoot === undefined ? bench() : child(childRoot));
