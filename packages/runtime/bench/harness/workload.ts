import type { BenchTarget, TargetSession } from "../targets/bench-target.js";
import type { CheckResult } from "./checks.js";
import { probed } from "./probe.js";
import type { CostSample } from "./probe.js";

/** One figure a workload reports: a row of the results table. */
export interface FigureSpec {
  /** Stable id, used in the JSON: `W1`, `W6/100`. */
  readonly id: string;
  /** Short label for the table. */
  readonly label: string;
  readonly unit: "appends/s" | "events/s" | "commands/s" | "ms" | "×";
  /** The Strata/raw throughput ratio the figure should reach, or with `goalOn`, the bound on Strata's own value. */
  readonly goal: number;
  /**
   * For a figure measured on Strata alone (its workload lists only `strata` in `targets`): the goal
   * bounds Strata's value from below (`at-least`) or above (`at-most`), or there is none (`none`,
   * a figure that is only reported). Absent: the goal is a Strata/raw ratio, at least `goal`.
   */
  readonly goalOn?: "at-least" | "at-most" | "none";
}

/** One timed measurement of one figure on one target. */
export interface Measurement {
  readonly figure: string;
  /** Appends or events, in the figure's unit, done inside the timed section. */
  readonly operations: number;
  readonly ms: number;
  /**
   * The figure's value when it is not a rate of `operations` per second (a latency in ms, a
   * speed-up ×): reported as is, and `operations`/`ms` only describe the work done.
   */
  readonly value?: number;
  readonly check: CheckResult;
  /** Extra counters worth keeping, for example conflicts met by W5's writers. */
  readonly details?: Readonly<Record<string, number>>;
  /** Set by the runner from the cost probe around the matching timed section (see probe.ts). */
  readonly cost?: CostSample;
}

/** What a workload gets for one run on one target. */
export interface WorkloadRun {
  readonly session: TargetSession;
  readonly target: BenchTarget["name"];
  /** 1 for the real run, 0.1 for `--quick`, smaller still for the warm-up pass. */
  readonly scale: number;
  /** Unique within the process, for refs and stream ids. */
  readonly tag: string;
  /** ANALYZEs the run's schema; read workloads call it after seeding, outside the clock. */
  readonly analyze: () => Promise<void>;
  /** The run's fresh schema (already migrated by the target), for workloads that open their own Strata objects on it. */
  readonly schema: string;
  /** The server the run uses, with the run's `application_name` (connections opened with it are billed to the run). */
  readonly databaseUrl: string;
}

/**
 * A benchmark workload. It runs on a fresh schema, builds its inputs before starting the clock,
 * times only the operations it measures, then checks what it wrote by reading it back.
 * New workloads (snapshots, projection catch-up, crypto read overhead) are new modules listed in
 * `workloads/index.ts`; the harness needs no change.
 */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly figures: readonly FigureSpec[];
  /** Connections each target may open: 1 for sequential workloads, the writer count for concurrent ones. */
  readonly poolSize: number;
  /**
   * The targets it runs on (default both). Workloads of Strata's own features (snapshots,
   * projections, personal data) have no raw-`pg` counterpart and list only `strata`.
   */
  readonly targets?: readonly BenchTarget["name"][];
  run(run: WorkloadRun): Promise<Measurement[]>;
}

/** Scales a full-size count, keeping at least `min`. */
export function scaled(full: number, scale: number, min = 1): number {
  return Math.max(min, Math.round(full * scale));
}

/**
 * Runs `fn` and returns how long it took in milliseconds. The runner's cost probe (client CPU,
 * backend CPU, WAL) samples around it, outside the clock; the n-th timed section of a run is
 * billed to the run's n-th measurement.
 */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  let ms = 0;
  await probed(async () => {
    const start = performance.now();
    await fn();
    ms = performance.now() - start;
  });
  return ms;
}

/** Splits `items` round-robin into `parts` lists. */
export function roundRobin<T>(items: readonly T[], parts: number): T[][] {
  const lists: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => lists[i % parts]?.push(item));
  return lists;
}
