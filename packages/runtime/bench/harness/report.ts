import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { MachineInfo } from "./machine.js";
import type { FigureRuns, RunRecord } from "./runner.js";

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** One target's side of a figure. */
export interface Side {
  /** Median throughput; `null` when a repetition threw or the target did not run. */
  readonly median: number | null;
  /** False when any repetition's correctness check failed. */
  readonly ok: boolean;
  readonly runs: readonly RunRecord[];
  /** Median per-operation cost over the repetitions that measured it (see probe.ts). */
  readonly perOp?: { readonly clientCpuUs?: number; readonly serverCpuUs?: number; readonly walBytes?: number };
}

/** One row of the results table. */
export interface FigureSummary {
  readonly id: string;
  readonly workload: string;
  readonly label: string;
  readonly unit: string;
  readonly goal: number;
  /** See `FigureSpec.goalOn`; absent for Strata/raw ratio goals. */
  readonly goalOn?: "at-least" | "at-most" | "none";
  readonly raw: Side | null;
  readonly strata: Side | null;
  readonly ratio: number | null;
  readonly met: boolean;
}

export interface BenchReport {
  readonly date: string;
  readonly quick: boolean;
  readonly reps: number;
  readonly machine: MachineInfo;
  readonly postgres: { readonly version: string; readonly settings: Readonly<Record<string, string>> };
  readonly targets: Readonly<Record<string, string>>;
  /** Why a target did not run, when it did not. */
  readonly notes: readonly string[];
  readonly figures: readonly FigureSummary[];
}

function side(runs: readonly RunRecord[] | undefined): Side | null {
  if (runs === undefined || runs.length === 0) return null;
  // A figure with a value of its own (a latency, a speed-up) summarises that value, not the rate.
  const rates = runs.map((run) => (run.perSecond === null ? null : (run.value ?? run.perSecond)));
  const complete = rates.every((rate): rate is number => rate !== null);
  const costMedian = (key: "clientCpuUs" | "serverCpuUs" | "walBytes"): { [k: string]: number } => {
    const values = runs.flatMap((run) => (run.perOp?.[key] === undefined ? [] : [run.perOp[key]]));
    return values.length === 0 ? {} : { [key]: median(values) };
  };
  const perOp = { ...costMedian("clientCpuUs"), ...costMedian("serverCpuUs"), ...costMedian("walBytes") };
  return { median: complete ? median(rates) : null, ok: runs.every((run) => run.ok), runs, ...(Object.keys(perOp).length === 0 ? {} : { perOp }) };
}

export function summarise(figures: readonly FigureRuns[]): FigureSummary[] {
  return figures.map(({ workload, spec, runs }) => {
    const raw = side(runs.raw);
    const strata = side(runs.strata);
    if (spec.goalOn !== undefined) {
      const value = strata?.ok === true ? strata.median : null;
      const met = value != null && (spec.goalOn === "at-least" ? value >= spec.goal : spec.goalOn === "at-most" ? value <= spec.goal : false);
      return { id: spec.id, workload: workload.id, label: spec.label, unit: spec.unit, goal: spec.goal, goalOn: spec.goalOn, raw, strata, ratio: null, met };
    }
    const ratio = raw?.median != null && strata?.median != null ? strata.median / raw.median : null;
    const met = ratio !== null && ratio >= spec.goal && raw?.ok === true && strata?.ok === true;
    return { id: spec.id, workload: workload.id, label: spec.label, unit: spec.unit, goal: spec.goal, raw, strata, ratio, met };
  });
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** Whole numbers for throughputs; two decimals for small values (latencies in ms, ratios). */
function format(value: number): string {
  return Math.abs(value) >= 100 ? number.format(value) : small.format(value);
}

function cell(s: Side | null): string {
  if (s === null) return "—";
  const value = s.median === null ? "error" : format(s.median);
  return s.ok ? value : `${value} ✗`;
}

function verdict(figure: FigureSummary): string {
  if (figure.strata === null) return "— (not run)";
  if (figure.goalOn !== undefined) {
    if (!figure.strata.ok) return "no (check failed)";
    if (figure.strata.median === null) return "no (error)";
    if (figure.goalOn === "none") return "— (reported)";
    return figure.met ? "yes" : "no";
  }
  if (figure.raw?.ok === false || figure.strata.ok === false) return "no (check failed)";
  if (figure.ratio === null) return "no (error)";
  return figure.met ? "yes" : "no";
}

/** A ratio goal as `≥ 0.80×`; a goal on Strata's own value with its unit (`≥ 30,000 events/s`, `≤ 1.30×`). */
function goalText(f: FigureSummary): string {
  if (f.goalOn === undefined) return `≥ ${f.goal.toFixed(2)}×`;
  if (f.goalOn === "none") return "—";
  return `${f.goalOn === "at-least" ? "≥" : "≤"} ${format(f.goal)}${f.unit === "×" ? "×" : ` ${f.unit}`}`;
}

/** One per-operation cost as "raw / strata". */
function costCell(f: FigureSummary, key: "clientCpuUs" | "serverCpuUs" | "walBytes"): string {
  const one = (s: Side | null): string => {
    const value = s?.perOp?.[key];
    return value === undefined ? "—" : key === "walBytes" ? number.format(value) : value >= 10 ? number.format(value) : small.format(value);
  };
  return f.raw === null ? one(f.strata) : `${one(f.raw)} / ${one(f.strata)}`;
}

/** Operation of a figure's unit, for the cost table's header. */
function opOf(unit: string): string {
  return unit === "appends/s" ? "append" : unit === "events/s" ? "event" : unit === "commands/s" ? "command" : "op";
}

/** The results as a markdown table, with the machine underneath. */
export function toMarkdown(report: BenchReport): string {
  const costed = report.figures.filter((f) => f.raw?.perOp !== undefined || f.strata?.perOp !== undefined);
  const costs =
    costed.length === 0
      ? []
      : [
          "",
          "Where the time goes, per operation of the figure's unit (raw / Strata; medians): client CPU of the bench process, CPU of the target's PostgreSQL backends, WAL written (server-wide).",
          "",
          "| Workload | per | Client CPU µs | PostgreSQL CPU µs | WAL bytes |",
          "|---|---|--:|--:|--:|",
          ...costed.map((f) => `| ${f.label} | ${opOf(f.unit)} | ${costCell(f, "clientCpuUs")} | ${costCell(f, "serverCpuUs")} | ${costCell(f, "walBytes")} |`),
        ];
  const lines = [
    "| Workload | Unit | Raw pg | Strata | Strata/raw | Goal | Met? |",
    "|---|---|--:|--:|--:|--:|---|",
    ...report.figures.map(
      (f) =>
        `| ${f.label} | ${f.unit} | ${cell(f.raw)} | ${cell(f.strata)} | ${f.ratio === null ? "—" : `${f.ratio.toFixed(2)}×`} | ${goalText(f)} | ${verdict(f)} |`,
    ),
    ...costs,
    "",
    `Median of ${report.reps} interleaved repetition${report.reps === 1 ? "" : "s"}${report.quick ? ", **quick run (a tenth of the events)**" : ""}; ✗ marks a figure whose correctness check failed in at least one repetition.`,
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, ${report.machine.os}, Node ${report.machine.node}; load average ${report.machine.loadAverage.start[0]} at start, ${report.machine.loadAverage.end[0]} at end.`,
    `PostgreSQL: ${report.postgres.version} (${Object.entries(report.postgres.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(", ")}). Run ${report.date}.`,
    ...report.notes.map((note) => `Note: ${note}`),
    ...report.figures.flatMap((f) =>
      (["raw", "strata"] as const).flatMap((target) =>
        (f[target]?.runs ?? [])
          .filter((run) => !run.ok)
          .map((run) => `✗ ${f.id} ${target} rep ${run.rep}: ${run.problems.join("; ")}`),
      ),
    ),
  ];
  return lines.join("\n");
}

export async function writeJson(path: string, report: BenchReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Replaces the results block of the README between its markers; false when the markers are missing. */
export async function updateReadme(path: string, markdown: string): Promise<boolean> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  const start = text?.indexOf(START) ?? -1;
  const end = text?.indexOf(END) ?? -1;
  if (text === undefined || start === -1 || end < start) return false;
  await writeFile(path, `${text.slice(0, start + START.length)}\n${markdown}\n${text.slice(end)}`);
  return true;
}
