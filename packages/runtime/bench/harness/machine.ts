import os from "node:os";

/** The machine a run happened on, as the README and the JSON report show it. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1/5/15-minute load averages when the run started and ended: the machine is shared. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const round = (values: readonly number[]): number[] => values.map((value) => Math.round(value * 100) / 100);

/** Describes this machine; `loadAtStart` is `os.loadavg()` taken before the first workload. */
export function machineInfo(loadAtStart: readonly number[]): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: { start: round(loadAtStart), end: round(os.loadavg()) },
  };
}
