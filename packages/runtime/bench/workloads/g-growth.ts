import { randomBytes } from "node:crypto";
import { analyzePreloaded, preloadSchemaName } from "../harness/preload.js";
import { scaled, timed } from "../harness/workload.js";
import type { FigureSpec, Measurement, Workload, WorkloadRun } from "../harness/workload.js";
import type { BenchTarget, ReadEvent, TargetSession } from "../targets/bench-target.js";
import { checkPlanned, planAppends } from "./w1-sequential-appends.js";
import { w4UpcastingRead } from "./w4-upcasting-read.js";

/** The goal of issue 18: W1 and W4 on a preloaded store keep at least this share of their empty-store figure. */
const GROWTH_GOAL = 0.9;

/** `10000000` as `10M`, `250000` as `250k`, for figure ids and labels. */
export function sizeLabel(events: number): string {
  if (events === 0) return "0";
  if (events % 1_000_000 === 0) return `${events / 1_000_000}M`;
  if (events % 1_000 === 0) return `${events / 1_000}k`;
  return String(events);
}

/** W1 (one event per append, one writer, 1,000 streams) on `session`, checked by reading each stream back. */
async function appendsOn(session: TargetSession, scale: number, tag: string, figure: string): Promise<Measurement> {
  const plan = planAppends(tag, scaled(1_000, scale, 10), scaled(5_000, scale, 20));
  const ms = await timed(async () => {
    for (const { streamId, event, expected } of plan) await session.append(streamId, [event], expected);
  });
  // Not readAll like W1: on a preloaded store that would read the whole store back.
  const events: ReadEvent[] = [];
  for (const streamId of new Set(plan.map((p) => p.streamId))) events.push(...(await session.readStream(streamId)));
  return { figure, operations: plan.length, ms, check: checkPlanned(events, plan).result() };
}

/** W4 (read one 10,000-event stream, half upcast) on `session`, through W4's own workload code. */
async function readsOn(run: WorkloadRun, session: TargetSession, tag: string, analyze: () => Promise<void>, figure: string): Promise<Measurement> {
  const [measurement] = await w4UpcastingRead.run({ ...run, session, tag, analyze });
  if (measurement === undefined) throw new Error("W4 reported no measurement.");
  return { ...measurement, figure };
}

function rate(m: Measurement): number {
  return m.check.ok && m.operations > 0 ? (m.operations * 1_000) / m.ms : Number.NaN;
}

/**
 * G, growth (issue 18): W1's appends and W4's stream read on an empty store and on stores that
 * already hold `sizes` events (preloaded untimed by `ensurePreloaded`, reused between runs), in
 * the same run and the same session order on both targets. Rates are reported per size; the
 * growth figures are the per-repetition ratios preloaded ÷ empty (goal ≥ 0.9× on Strata; the
 * Raw pg column shows the baseline's own ratio). W4's rate at each size is its `readStream`
 * time for the same 10,000-event stream, so equal rates mean a read time independent of size.
 * Every run's streams carry a random prefix, so repeated runs on a reused store never collide;
 * each run adds about 15,000 events to the preloaded stores.
 */
export function growthWorkload(targets: readonly BenchTarget[], sizes: readonly number[]): Workload {
  const rates: FigureSpec[] = [0, ...sizes].flatMap((size) => [
    { id: `G/W1@${sizeLabel(size)}`, label: `G W1 append 1 event, ${size === 0 ? "empty store" : `store of ${sizeLabel(size)} events`}`, unit: "appends/s", goal: 0, goalOn: "none" },
    { id: `G/W4@${sizeLabel(size)}`, label: `G W4 read stream, ${size === 0 ? "empty store" : `store of ${sizeLabel(size)} events`}`, unit: "events/s", goal: 0, goalOn: "none" },
  ]);
  const ratios: FigureSpec[] = sizes.flatMap((size) => [
    { id: `G/W1×${sizeLabel(size)}`, label: `G W1 at ${sizeLabel(size)} ÷ empty`, unit: "×", goal: GROWTH_GOAL, goalOn: "at-least" },
    { id: `G/W4×${sizeLabel(size)}`, label: `G W4 at ${sizeLabel(size)} ÷ empty`, unit: "×", goal: GROWTH_GOAL, goalOn: "at-least" },
  ]);
  const runsPerTarget = new Map<string, number>();
  return {
    id: "G",
    title: `W1 and W4 on an empty store and on stores of ${sizes.map(sizeLabel).join(", ")} events`,
    figures: [...rates, ...ratios],
    poolSize: 8,
    async run(run) {
      const target = targets.find((t) => t.name === run.target);
      if (target === undefined) throw new Error(`Growth workload has no target "${run.target}".`);
      const unique = `${run.tag}-${randomBytes(3).toString("hex")}`;
      const stages = [0, ...sizes];
      // Every other run on a target measures the largest store first, so drift within a run
      // (cache, autovacuum, other load) does not always favour the same side of the ratio.
      const count = (runsPerTarget.get(target.name) ?? 0) + 1;
      runsPerTarget.set(target.name, count);
      if (count % 2 === 0) stages.reverse();
      const measured: Measurement[] = [];
      const rates = new Map<string, number>();
      for (const size of stages) {
        const schema = size === 0 ? run.schema : preloadSchemaName(target.name, size);
        // The run's tagged connection string, so the probe bills these backends to the run too.
        const session = size === 0 ? run.session : await target.open(schema, { poolSize: 8, connectionString: run.databaseUrl });
        try {
          if (size !== 0) await session.warmUp(8);
          const analyze = size === 0 ? run.analyze : () => analyzePreloaded(run.databaseUrl, schema);
          const appends = await appendsOn(session, run.scale, `${unique}-${size}`, `G/W1@${sizeLabel(size)}`);
          const reads = await readsOn(run, session, `${unique}-${size}`, analyze, `G/W4@${sizeLabel(size)}`);
          measured.push(appends, reads);
          rates.set(appends.figure, rate(appends)).set(reads.figure, rate(reads));
        } finally {
          if (size !== 0) await session.close();
        }
      }
      const ratio = (workload: "W1" | "W4", size: number): Measurement => {
        const value = (rates.get(`G/${workload}@${sizeLabel(size)}`) ?? Number.NaN) / (rates.get(`G/${workload}@0`) ?? Number.NaN);
        const check = Number.isFinite(value) ? { ok: true, problems: [] } : { ok: false, problems: ["a rate behind this ratio failed its check"] };
        return { figure: `G/${workload}×${sizeLabel(size)}`, operations: 1, ms: 1, value, check };
      };
      const growth = sizes.flatMap((size) => [ratio("W1", size), ratio("W4", size)]);
      // Timed sections first, in order: the runner bills the n-th one to the n-th measurement.
      return [...measured, ...growth];
    },
  };
}
