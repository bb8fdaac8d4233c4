/** The test side of the consumer crash tests: a consumer child and the two kills mid-batch. */
import type { ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { startChildProcess, stopChildProcess } from "./child-process.js";

/** A running consumer child and what it has reported so far. */
export interface ConsumerChild {
  readonly process: ChildProcess;
  /** Events applied, summed over its batches. */
  readonly applied: () => number;
  /** Rows in the read model at its last report. */
  readonly received: () => number;
  /** The broker position stored in its inbox at its last report (0 when it reports none). */
  readonly position: () => number;
}

/** Starts the consumer child `entry` (which runs `runConsumerChild`). */
export async function startConsumerChild(entry: string, config: Record<string, unknown>): Promise<ConsumerChild> {
  let applied = 0;
  let received = 0;
  let position = 0;
  const child = await startChildProcess(entry, config, (line) => {
    if (line.startsWith("applied ")) applied += Number(line.slice(8));
    if (line.startsWith("received ")) received = Number(line.slice(9));
    if (line.startsWith("position ")) position = Number(line.slice(9));
  });
  return { process: child, applied: () => applied, received: () => received, position: () => position };
}

/** Starts the consumer child twice and SIGKILLs it each time once it has applied more than 120 events. */
export async function killConsumerTwiceMidStream(entry: string, config: Record<string, unknown>): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    const child = await startConsumerChild(entry, config);
    await expect.poll(child.applied, { timeout: 60_000, interval: 5 }).toBeGreaterThan(120);
    await stopChildProcess(child.process, "SIGKILL");
  }
}
