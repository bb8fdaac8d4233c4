/** The test side of the forwarder crash tests: a forwarder child killed twice mid-batch, then one that finishes. */
import type { ChildProcess } from "node:child_process";
import { createEventStore } from "@strata/runtime";
import type { DatabaseConfig, RecordedEvent } from "@strata/runtime";
import { expect } from "vitest";
import { producerRegistry } from "./broker-registry.js";
import { startChildProcess, stopChildProcess } from "./child-process.js";

interface ForwarderChild {
  readonly process: ChildProcess;
  readonly published: () => number;
  readonly lag: () => number | undefined;
}

async function startForwarderChild(entry: string, config: Record<string, unknown>): Promise<ForwarderChild> {
  let published = 0;
  let lag: number | undefined;
  const child = await startChildProcess(entry, config, (line) => {
    if (line === "published") published += 1;
    if (line.startsWith("lag ")) lag = Number(line.slice(4));
  });
  return { process: child, published: () => published, lag: () => lag };
}

/**
 * Runs the forwarder child `entry` (which runs `runForwarderChild`) twice, SIGKILLed each time
 * after more than 120 confirmed publishes, then once more until its lag is 0. Returns the
 * publishes confirmed in all (more than the events: the killed children republish).
 */
export async function forwardThroughCrashes(entry: string, config: Record<string, unknown>): Promise<number> {
  let total = 0;
  for (let round = 0; round < 2; round += 1) {
    const child = await startForwarderChild(entry, config);
    await expect.poll(child.published, { timeout: 60_000, interval: 10 }).toBeGreaterThan(120);
    await stopChildProcess(child.process, "SIGKILL");
    total += child.published();
  }
  const last = await startForwarderChild(entry, config);
  await expect.poll(last.lag, { timeout: 90_000, interval: 50 }).toBe(0);
  await stopChildProcess(last.process, "SIGTERM");
  return total + last.published();
}

/** Appends 600 MoneyDeposited events over 10 streams to the store in `schema`; returns them in order. */
export async function appendDeposits(database: DatabaseConfig, schema: string): Promise<RecordedEvent[]> {
  const store = await createEventStore({ registry: producerRegistry, database, schema, personalData: "unencrypted" });
  const appended: RecordedEvent[] = [];
  for (let round = 0; round < 60; round += 1) {
    for (let account = 0; account < 10; account += 1) {
      appended.push(...(await store.append(`account-${account}`, [{ type: "MoneyDeposited", data: { amount: round + 1, currency: "EUR" } }])).events);
    }
  }
  await store.close();
  return appended;
}
