/**
 * `pnpm --filter @strata/runtime bench:telemetry`: what the OpenTelemetry instrumentation costs an
 * append when no SDK is registered (the W1 budget: within 2%). The store's telemetry wrapper
 * (`instrumentEventStore`) is timed around a store whose `append` does nothing, against that bare
 * store, in the same process, interleaved; the difference is the instrumentation's cost per
 * append, then set against a real single-event append (W1's unit) measured here on PGlite.
 */
import { PGlite } from "@electric-sql/pglite";
import { createEventStore } from "../src/store/create-event-store.js";
import type { EventStore } from "../src/store/event-store.js";
import { instrumentEventStore } from "../src/telemetry/store-telemetry.js";
import { benchRegistry } from "./fixtures/bench-registry.js";
import { depositEvent } from "./fixtures/bench-events.js";

const CALLS = 200_000;
const ROUNDS = 7;

const result = { streamId: "s", firstVersion: 1, lastVersion: 1, nextExpectedVersion: 1, events: [] };
const bare = { append: () => Promise.resolve(result) } as unknown as EventStore;
const instrumented = instrumentEventStore(bare, "strata");
const event = [{ type: "FundsDeposited", data: {} }] as never;

async function nsPerCall(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) await store.append("account-1", event);
  return Number(process.hrtime.bigint() - started) / CALLS;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const bareNs: number[] = [];
const wrappedNs: number[] = [];
await nsPerCall(bare);
await nsPerCall(instrumented);
for (let round = 0; round < ROUNDS; round += 1) {
  bareNs.push(await nsPerCall(bare));
  wrappedNs.push(await nsPerCall(instrumented));
}
const overheadNs = median(wrappedNs) - median(bareNs);

// A real single-event append on embedded PGlite, W1's unit of work (the server is slower still).
const pglite = await PGlite.create();
const store = await createEventStore({ registry: benchRegistry, database: { kind: "pglite", instance: pglite } });
const appends = 2_000;
const started = process.hrtime.bigint();
for (let i = 0; i < appends; i += 1) await store.append(`account-${i % 100}`, [depositEvent(`t-${i}`, i)] as never);
const appendNs = Number(process.hrtime.bigint() - started) / appends;
await store.close();
await pglite.close();

console.log(
  [
    `| No SDK registered | ns per append |`,
    `|---|--:|`,
    `| bare store call | ${median(bareNs).toFixed(0)} |`,
    `| through the telemetry wrapper | ${median(wrappedNs).toFixed(0)} |`,
    `| instrumentation cost | ${overheadNs.toFixed(0)} |`,
    `| a single-event append on PGlite (W1's unit) | ${appendNs.toFixed(0)} |`,
    `| cost / append | ${((overheadNs / appendNs) * 100).toFixed(2)}% |`,
  ].join("\n"),
);
