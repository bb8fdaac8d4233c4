/**
 * `pnpm bench`: Strata's event store against a raw-`pg` baseline on the same PostgreSQL server.
 * See README.md in this folder for the workloads and how to read the table.
 */
import os from "node:os";
import { Admin } from "./harness/admin.js";
import { machineInfo } from "./harness/machine.js";
import { parseOptions } from "./harness/options.js";
import { ensurePreloaded } from "./harness/preload.js";
import { summarise, toMarkdown, updateReadme, writeJson } from "./harness/report.js";
import type { BenchReport } from "./harness/report.js";
import { runPlan } from "./harness/runner.js";
import type { BenchTarget } from "./targets/bench-target.js";
import { rawPgTarget } from "./targets/raw-pg-target.js";
import { strataTarget } from "./targets/strata-target.js";
import { growthWorkload } from "./workloads/g-growth.js";
import { workloads } from "./workloads/index.js";

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const notes: string[] = [];
  const targets: BenchTarget[] = [rawPgTarget(options.databaseUrl), strataTarget(options.databaseUrl)];
  // The growth workload G exists only with --preload; with it and no --only, G runs alone.
  const growth = options.preload.length === 0 ? [] : [growthWorkload(targets, options.preload)];
  const known = [...workloads, ...growth];
  const selected = options.only.length === 0 ? (growth.length > 0 ? growth : workloads) : known.filter((w) => options.only.includes(w.id));
  if (selected.length === 0) {
    throw new Error(`No workload matches --only ${options.only.join(",")}; known: ${known.map((w) => w.id).join(", ")}${growth.length === 0 ? " (G needs --preload)" : ""}.`);
  }

  const admin = await Admin.connect(options.databaseUrl);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  process.once("SIGINT", () => {
    log("interrupted: dropping this run's schemas…");
    void admin.close().finally(() => process.exit(130));
  });
  try {
    const server = await admin.serverInfo();
    log(`bench run ${admin.runId}: ${targets.map((t) => t.name).join(" vs ")}, ${options.reps} reps${options.quick ? ", quick" : ""}`);
    if (selected.some((w) => w.id === "G")) {
      for (const size of options.preload) {
        for (const target of targets) {
          const store = await ensurePreloaded(target, size, options.databaseUrl, log);
          const how = store.seededNow ? `seeded in ${(store.seedMs / 1_000).toFixed(0)} s` : "reused";
          log(`preloaded ${store.schema}: ${size} events, ${how}`);
          notes.push(`G: ${store.schema} holds ${size.toLocaleString("en-US")} preloaded events (${how}, untimed) plus earlier growth runs' own events.`);
        }
      }
    }
    const loadAtStart = os.loadavg();
    const started = performance.now();
    const figures = await runPlan(admin, {
      workloads: selected,
      targets,
      reps: options.reps,
      scale: options.quick ? 0.1 : 1,
      warmup: options.warmup,
      databaseUrl: options.databaseUrl,
      log,
    });
    log(`done in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
    const waits = figures.reduce((sum, f) => sum + (f.runs.strata ?? []).reduce((n, run) => n + (run.details?.["horizonWaits"] ?? 0), 0), 0);
    if (waits > 0) notes.push(`Strata's global reads waited ${waits} times for the read horizon (a transaction elsewhere on the server was in flight); the waits are on the clock.`);
    const report: BenchReport = {
      date: new Date().toISOString(),
      quick: options.quick,
      reps: options.reps,
      machine: machineInfo(loadAtStart),
      postgres: server,
      targets: Object.fromEntries(targets.map((t) => [t.name, t.description])),
      notes,
      figures: summarise(figures),
    };
    const markdown = toMarkdown(report);
    console.log(markdown);
    await writeJson(options.out, report);
    log(`results written to ${options.out}`);
    const complete = !options.quick && options.only.length === 0 && options.preload.length === 0 && options.reps >= 3;
    if (complete && (await updateReadme(new URL("README.md", import.meta.url).pathname, markdown))) log("README.md results updated");
  } finally {
    await admin.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
