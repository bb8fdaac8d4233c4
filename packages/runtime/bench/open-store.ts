/**
 * `pnpm --filter @strata/runtime bench:open`: how long opening a store takes, in memory and on
 * in-memory PGlite, each followed by one append and one read. Prints figures only (no asserts:
 * the machine's load decides them); the in-memory store is meant to stay far below 50 ms.
 */
import { performance } from "node:perf_hooks";
import { createEventStore } from "../src/index.js";
import { createMemoryEventStore } from "../src/memory/index.js";
import type { EventStore } from "../src/index.js";
import { testRegistry } from "../test/fixtures/test-registry.js";
import type { TestEvent } from "../test/fixtures/test-registry.js";

const ROUNDS = 20;

async function time(label: string, rounds: number, open: () => Promise<EventStore<TestEvent>>): Promise<void> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const opened = await open();
    const openedAt = performance.now();
    await opened.append("bench-1", [{ type: "AccountOpened", data: { owner: "Ada" } }]);
    for await (const _ of opened.readStream("bench-1")) void _;
    samples.push(openedAt - started);
    await opened.close();
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  console.log(`${label.padEnd(28)} open: median ${median.toFixed(2)} ms, max ${(samples.at(-1) ?? 0).toFixed(2)} ms (${rounds} rounds)`);
}

await time("memory (createMemoryEventStore)", ROUNDS, async () => createMemoryEventStore({ registry: testRegistry }));
await time("PGlite in memory (migrated)", 3, () => createEventStore({ registry: testRegistry, database: { kind: "pglite" } }));
