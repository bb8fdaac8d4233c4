import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { createInMemorySnapshotStore } from "../snapshots/in-memory-snapshot-store.js";
import type { SnapshotPolicy } from "../snapshots/snapshot-policy.js";
import { createCommandHandler } from "./command-handler.js";
import { foldEvents } from "./decider.js";
import { loadAggregate } from "./load-aggregate.js";
import { createInMemoryStreams } from "./testing/in-memory-streams.js";
import type { LedgerCommand, LedgerEvent } from "./testing/ledger-decider.js";
import { ledgerDecider } from "./testing/ledger-decider.js";

const ledger = ledgerDecider();
const quiet = { debug: () => undefined, warn: () => undefined };

const command: fc.Arbitrary<LedgerCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant("Credit" as const), amount: fc.integer({ min: -2, max: 1000 }), from: fc.constantFrom("a", "b", "c") }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant("Debit" as const), amount: fc.integer({ min: 1, max: 800 }), to: fc.constantFrom("x", "y") }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("Tag" as const), tag: fc.string({ maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("Close" as const), reason: fc.string({ maxLength: 8 }) }) },
);

const policy: fc.Arbitrary<SnapshotPolicy> = fc.record(
  {
    everyEvents: fc.integer({ min: 1, max: 12 }),
    maxEventsSinceSnapshot: fc.integer({ min: 1, max: 12 }),
    maxReplayMs: fc.constantFrom(0, 1_000_000),
  },
  { requiredKeys: [] },
);

describe("loading with snapshots", () => {
  it("equals a full replay, and time travel at every version equals folding that prefix", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 60 }), policy, async (commands, snapshotPolicy) => {
        const store = createInMemoryStreams();
        const snapshots = createInMemorySnapshotStore();
        const handler = createCommandHandler({ store, decider: ledger, snapshots: { store: snapshots, policy: snapshotPolicy }, logger: quiet });
        for (const next of commands) await handler.handle("l-1", next);
        await handler.flushSnapshots();

        const full = await loadAggregate(store, ledger, "l-1");
        const fromSnapshot = await handler.load("l-1");
        expect(fromSnapshot.version).toBe(full.version);
        expect(isDeepStrictEqual(fromSnapshot.state, full.state)).toBe(true);
        if (full.version > 0 && snapshots.all().length > 0) expect(fromSnapshot.snapshotVersion).toBeGreaterThan(0);

        const events = store.events("l-1").map((event) => ({ type: event.type, data: event.data }) as LedgerEvent);
        for (let version = 0; version <= events.length; version += 1) {
          const past = await handler.load("l-1", { atVersion: version });
          expect(past.version).toBe(version);
          expect(isDeepStrictEqual(past.state, foldEvents(ledger, ledger.initialState, events.slice(0, version)))).toBe(true);
        }
        expect(handler.metrics.snapshotsCorrupt + handler.metrics.snapshotsOutdated + handler.metrics.snapshotWriteFailures).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("time travels by date to the last event recorded at or before it", async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = createInMemoryStreams(() => new Date((now += 60_000)));
    const snapshots = createInMemorySnapshotStore();
    const handler = createCommandHandler({ store, decider: ledger, snapshots: { store: snapshots, policy: { everyEvents: 2 } }, logger: quiet });
    for (let i = 1; i <= 5; i += 1) await handler.handle("l-1", { type: "Credit", amount: i, from: "a" });
    await handler.flushSnapshots();
    const recorded = store.events("l-1");
    const third = recorded[2]!.recordedAt;
    const atThird = await handler.load("l-1", { asOf: third });
    expect(atThird.version).toBe(3);
    expect(atThird.state.balance).toBe(6n);
    expect((await handler.load("l-1", { asOf: new Date(third.getTime() + 30_000) })).version).toBe(3);
    expect(await handler.load("l-1", { asOf: new Date(Date.UTC(2025, 0, 1)) })).toMatchObject({ version: 0, state: ledger.initialState });
    expect((await handler.load("l-1", { asOf: new Date(Date.UTC(2030, 0, 1)) })).version).toBe(5);
  });

  it("refuses a version past the end of the stream with a typed error", async () => {
    const store = createInMemoryStreams();
    const handler = createCommandHandler({ store, decider: ledger, logger: quiet });
    await handler.handle("l-1", { type: "Credit", amount: 1, from: "a" });
    await expect(handler.load("l-1", { atVersion: 4 })).rejects.toMatchObject({
      code: "AGGREGATE_VERSION_NOT_FOUND",
      requestedVersion: 4,
      actualVersion: 1,
    });
    await expect(handler.load("l-1", { atVersion: -1 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
