import { readFile } from "node:fs/promises";
import type pg from "pg";

/**
 * Where a timed section's time went: CPU of this Node process (the client), CPU of the
 * PostgreSQL backends serving the target's connections, and WAL the server wrote.
 *
 * - Client CPU: `process.cpuUsage()` (user + system) across the section. The bench process runs
 *   one target at a time, so this is the target's client cost (driver, validation, JSON, the
 *   store's code), plus the workload's own small loop.
 * - Backend CPU: every connection a target opens carries an `application_name` unique to the run
 *   (see {@link taggedUrl}); the probe finds those backends in `pg_stat_activity` and reads their
 *   on-CPU time from `/proc/<pid>/schedstat` (nanoseconds; `/proc/<pid>/stat` in clock ticks when
 *   schedstat is missing). Only possible when the server runs on this machine and its `/proc` is
 *   readable; otherwise the figure is absent. Background processes (WAL writer, checkpointer) are
 *   not counted: commit flushes done by a backend are.
 * - WAL bytes: `pg_current_wal_lsn()` before and after. Server-wide: anything else writing on the
 *   same server during the section is counted too, so it is exact only on a quiet server.
 */
export interface CostSample {
  /** Client (this process) CPU, µs. */
  readonly clientCpuUs: number;
  /** CPU of the target's PostgreSQL backends, µs; absent when /proc of the server is not readable. */
  readonly serverCpuUs?: number;
  /** WAL written by the server, bytes; absent when the server did not say. */
  readonly walBytes?: number;
}

/** Opens and closes one cost measurement around a timed section. */
export interface CostProbe {
  start(): Promise<void>;
  stop(): Promise<CostSample>;
}

/** `url` with `application_name=<name>`, so the probe can find the backends of its connections. */
export function taggedUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", name);
  return parsed.toString();
}

const TICKS_TO_US = 10_000; // Linux USER_HZ is 100 on every architecture Node runs on.

/** On-CPU time of a process in µs, or undefined when it is gone or unreadable. */
async function processCpuUs(pid: number): Promise<number | undefined> {
  try {
    const schedstat = await readFile(`/proc/${pid}/schedstat`, "utf8");
    const ns = Number(schedstat.split(" ")[0]);
    if (Number.isFinite(ns)) return ns / 1_000;
  } catch {
    // Fall back to stat below.
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
    return Number.isFinite(ticks) ? ticks * TICKS_TO_US : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A probe for the connections named `applicationName`, asked through the harness's own client
 * (which is not one of them). Backends that appear during the section count from zero; those
 * that end during it are lost (pools do not close connections in the middle of a run).
 */
export function createCostProbe(client: pg.Client, applicationName: string): CostProbe {
  let client0 = process.cpuUsage();
  let backends0 = new Map<number, number>();
  let lsn0: string | undefined;
  let readable = true;

  const backends = async (): Promise<Map<number, number>> => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [applicationName]);
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const us = await processCpuUs(pid);
      if (us === undefined) readable = false;
      else cpu.set(pid, us);
    }
    return cpu;
  };
  const lsn = async (): Promise<string | undefined> => {
    try {
      return (await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]?.lsn;
    } catch {
      return undefined; // A standby, or no permission.
    }
  };

  return {
    async start() {
      readable = true;
      lsn0 = await lsn();
      backends0 = await backends();
      client0 = process.cpuUsage();
    },
    async stop() {
      const used = process.cpuUsage(client0);
      const backends1 = await backends();
      const lsn1 = await lsn();
      let serverCpuUs = 0;
      for (const [pid, us] of backends1) serverCpuUs += us - (backends0.get(pid) ?? 0);
      let walBytes: number | undefined;
      if (lsn0 !== undefined && lsn1 !== undefined) {
        walBytes = Number((await client.query<{ bytes: string }>("SELECT pg_wal_lsn_diff($1, $2)::text AS bytes", [lsn1, lsn0])).rows[0]?.bytes);
      }
      return {
        clientCpuUs: used.user + used.system,
        ...(readable && backends1.size > 0 ? { serverCpuUs } : {}),
        ...(walBytes === undefined || !Number.isFinite(walBytes) ? {} : { walBytes }),
      };
    },
  };
}

/** The probe `timed` uses, set by the runner around each workload run; none outside a run. */
let current: CostProbe | undefined;
let samples: CostSample[] = [];

/** Installs `probe` for the next workload run and clears the samples of the previous one. */
export function useProbe(probe: CostProbe | undefined): void {
  current = probe;
  samples = [];
}

/** The samples of the current run, one per timed section, in order. */
export function takenSamples(): readonly CostSample[] {
  return samples;
}

/** Measures `fn`'s cost with the installed probe, if any. */
export async function probed<T>(fn: () => Promise<T>): Promise<T> {
  const probe = current;
  if (probe === undefined) return fn();
  await probe.start();
  const result = await fn();
  samples.push(await probe.stop());
  return result;
}
