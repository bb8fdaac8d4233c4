import type { BenchTarget } from "../targets/bench-target.js";
import type { Admin } from "./admin.js";
import { takenSamples, taggedUrl, useProbe } from "./probe.js";
import type { CostSample } from "./probe.js";
import type { FigureSpec, Measurement, Workload } from "./workload.js";

/** One repetition of one figure on one target. */
export interface RunRecord {
  readonly rep: number;
  /** Throughput in the figure's unit; `null` when the run threw before measuring. */
  readonly perSecond: number | null;
  readonly operations: number;
  readonly ms: number | null;
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** The figure's value when it is not a rate (see `Measurement.value`); `perSecond` is then the rate of operations only. */
  readonly value?: number;
  readonly details?: Readonly<Record<string, number>>;
  /** Where the time went, per operation (see probe.ts); absent when the figure had no timed section. */
  readonly perOp?: PerOpCost;
}

/** A cost sample divided by the operations of its measurement. */
export interface PerOpCost {
  readonly clientCpuUs: number;
  readonly serverCpuUs?: number;
  readonly walBytes?: number;
}

function perOp(cost: CostSample, operations: number): PerOpCost {
  const per = (value: number): number => Math.round((value / operations) * 100) / 100;
  return {
    clientCpuUs: per(cost.clientCpuUs),
    ...(cost.serverCpuUs === undefined ? {} : { serverCpuUs: per(cost.serverCpuUs) }),
    ...(cost.walBytes === undefined ? {} : { walBytes: per(cost.walBytes) }),
  };
}

/** Every repetition of one figure, per target. */
export interface FigureRuns {
  readonly workload: Workload;
  readonly spec: FigureSpec;
  readonly runs: Partial<Record<BenchTarget["name"], RunRecord[]>>;
}

export interface RunPlan {
  readonly workloads: readonly Workload[];
  readonly targets: readonly BenchTarget[];
  readonly reps: number;
  readonly scale: number;
  /** Runs everything once at a small size first and throws the figures away. */
  readonly warmup: boolean;
  /** Passed to workloads that open their own Strata objects. */
  readonly databaseUrl: string;
  readonly log: (line: string) => void;
}

async function runOnce(admin: Admin, target: BenchTarget, workload: Workload, scale: number, tag: string, databaseUrl: string): Promise<Measurement[]> {
  const schema = await admin.createSchema(target.name, tag);
  // Every connection of this run carries the schema's name, so the probe finds its backends.
  const connectionString = taggedUrl(databaseUrl, schema);
  let session: Awaited<ReturnType<BenchTarget["open"]>> | undefined;
  try {
    session = await target.open(schema, { poolSize: workload.poolSize, connectionString });
    await session.warmUp(workload.poolSize);
    useProbe(admin.probe(schema));
    const measurements = await workload.run({ session, target: target.name, scale, tag, analyze: () => admin.analyzeSchema(schema), schema, databaseUrl: connectionString });
    const samples = takenSamples();
    const counters = session.counters?.() ?? {};
    return measurements.map((m, index) => {
      const cost = samples[index];
      const details = Object.keys(counters).length === 0 ? m.details : { ...m.details, ...counters };
      return { ...m, ...(details === undefined ? {} : { details }), ...(cost === undefined ? {} : { cost }) };
    });
  } catch (error) {
    // A run that throws is a failed figure, not a crashed benchmark: the other figures still count.
    const message = describe(error);
    return workload.figures.map((figure) => ({
      figure: figure.id,
      operations: 0,
      ms: Number.NaN,
      check: { ok: false, problems: [`threw ${message}`] },
    }));
  } finally {
    useProbe(undefined);
    await session?.close().catch(() => undefined);
    await admin.dropSchema(schema);
  }
}

/** An error and its chain of causes, on one line. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" ← caused by ");
}

function toRecord(rep: number, measurement: Measurement): RunRecord {
  const measured = Number.isFinite(measurement.ms) && measurement.operations > 0 && (measurement.value === undefined || Number.isFinite(measurement.value));
  return {
    rep,
    perSecond: measured ? (measurement.operations * 1_000) / measurement.ms : null,
    operations: measurement.operations,
    ms: measured ? Math.round(measurement.ms * 10) / 10 : null,
    ok: measurement.check.ok,
    problems: measurement.check.problems,
    ...(measurement.value === undefined ? {} : { value: measurement.value }),
    ...(measurement.details === undefined ? {} : { details: measurement.details }),
    ...(measurement.cost === undefined || !measured ? {} : { perOp: perOp(measurement.cost, measurement.operations) }),
  };
}

/** The plan's targets that the workload runs on. */
function targetsOf(workload: Workload, plan: RunPlan): readonly BenchTarget[] {
  return workload.targets === undefined ? plan.targets : plan.targets.filter((target) => workload.targets?.includes(target.name) === true);
}

/**
 * Runs the plan, interleaving targets within each repetition (rep 1: raw W1, strata W1, raw W2,
 * strata W2, …) so that drift of the machine over time hits both sides alike.
 */
export async function runPlan(admin: Admin, plan: RunPlan): Promise<FigureRuns[]> {
  const figures = plan.workloads.flatMap((workload) => workload.figures.map((spec): FigureRuns => ({ workload, spec, runs: {} })));
  if (plan.warmup) {
    plan.log("warm-up pass (not measured)…");
    for (const workload of plan.workloads) {
      for (const target of targetsOf(workload, plan)) await runOnce(admin, target, workload, plan.scale / 20, `${workload.id}_warm`, plan.databaseUrl);
    }
  }
  for (let rep = 1; rep <= plan.reps; rep++) {
    for (const workload of plan.workloads) {
      for (const target of targetsOf(workload, plan)) {
        const measurements = await runOnce(admin, target, workload, plan.scale, `${workload.id}_r${rep}`, plan.databaseUrl);
        for (const measurement of measurements) {
          const figure = figures.find((f) => f.spec.id === measurement.figure);
          if (figure === undefined) throw new Error(`Workload ${workload.id} reported unknown figure "${measurement.figure}".`);
          const record = toRecord(rep, measurement);
          (figure.runs[target.name] ??= []).push(record);
          const shown = record.value ?? record.perSecond;
          const rate = shown === null ? "error" : `${shown >= 100 ? Math.round(shown) : shown.toFixed(2)} ${figure.spec.unit}`;
          const cost = record.perOp === undefined ? "" : `  client ${record.perOp.clientCpuUs} µs, pg ${record.perOp.serverCpuUs ?? "?"} µs, wal ${record.perOp.walBytes ?? "?"} B /op`;
          plan.log(`rep ${rep}/${plan.reps} ${figure.spec.id.padEnd(7)} ${target.name.padEnd(6)} ${rate}${cost}${record.ok ? "" : ` ✗ ${record.problems.join("; ")}`}`);
        }
      }
    }
  }
  return figures;
}
