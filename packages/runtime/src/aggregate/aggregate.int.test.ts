import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandHandler } from "./command-handler.js";
import { foldEvents } from "./decider.js";
import { loadAggregate } from "./load-aggregate.js";
import { aggregateBackends, openAggregateBackend } from "./testing/aggregate-backends.js";
import type { OpenedBackend } from "./testing/aggregate-backends.js";
import type { LedgerCommand, LedgerEvent } from "./testing/ledger-decider.js";
import { ledgerDecider } from "./testing/ledger-decider.js";
import { ledgerRegistry } from "./testing/ledger-registry.js";

const ledger = ledgerDecider();
const quiet = { debug: () => undefined, warn: () => undefined };
let streams = 0;
const nextStream = () => `ledger-${++streams}`;

const command: fc.Arbitrary<LedgerCommand> = fc.oneof(
  fc.record({ type: fc.constant("Credit" as const), amount: fc.integer({ min: 1, max: 500 }), from: fc.constantFrom("a", "b") }),
  fc.record({ type: fc.constant("Debit" as const), amount: fc.integer({ min: 1, max: 400 }), to: fc.constantFrom("x", "y") }),
  fc.record({ type: fc.constant("Tag" as const), tag: fc.string({ maxLength: 3 }) }),
);

describe.each(aggregateBackends)("aggregates on the event store ($name)", (backend) => {
  let db: OpenedBackend<LedgerEvent>;
  beforeAll(async () => {
    db = await openAggregateBackend(backend, ledgerRegistry);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("loads with snapshots exactly as a full replay, and time travels to every version", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 6 }), async (commands, every) => {
        const streamId = nextStream();
        const handler = createCommandHandler({ store: db.store, decider: ledger, snapshots: { store: db.snapshots, policy: { everyEvents: every } }, logger: quiet });
        for (const next of commands) await handler.handle(streamId, next);
        await handler.flushSnapshots();
        const full = await loadAggregate(db.store, ledger, streamId);
        const viaSnapshot = await handler.load(streamId);
        expect(viaSnapshot.version).toBe(full.version);
        expect(isDeepStrictEqual(viaSnapshot.state, full.state)).toBe(true);
        const events: LedgerEvent[] = [];
        for await (const event of db.store.readStream(streamId)) events.push({ type: event.type, data: event.data } as LedgerEvent);
        for (let version = 0; version <= events.length; version += 1) {
          const past = await handler.load(streamId, { atVersion: version });
          expect(isDeepStrictEqual(past.state, foldEvents(ledger, ledger.initialState, events.slice(0, version)))).toBe(true);
        }
        expect(handler.metrics.snapshotWriteFailures + handler.metrics.snapshotsCorrupt).toBe(0);
      }),
      { numRuns: backend.name === "pglite" ? 8 : 15 },
    );
  });

  it("loads the state as of a date from the snapshot at or below it", async () => {
    const streamId = nextStream();
    const handler = createCommandHandler({ store: db.store, decider: ledger, snapshots: { store: db.snapshots, policy: { everyEvents: 2 } }, logger: quiet });
    const times: Date[] = [];
    for (let amount = 1; amount <= 5; amount += 1) {
      const result = await handler.handle(streamId, { type: "Credit", amount, from: "a" });
      // recorded_at has microseconds, a Date only milliseconds: step 1 ms past the truncated value.
      if (result.status === "applied") times.push(new Date(result.events[0]!.recordedAt.getTime() + 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await handler.flushSnapshots();
    const atFourth = await handler.load(streamId, { asOf: times[3]! });
    expect(atFourth).toMatchObject({ version: 4, snapshotVersion: 4 });
    expect(atFourth.state.balance).toBe(10n);
    expect(await handler.load(streamId, { asOf: times[2]! })).toMatchObject({ version: 3, snapshotVersion: 2, replayedEvents: 1 });
    expect(await handler.load(streamId, { asOf: new Date(times[0]!.getTime() - 2) })).toMatchObject({ version: 0 });
  });

  it("applies 8 concurrent commands on one aggregate exactly once or rejects them, never losing one", async () => {
    const streamId = nextStream();
    // Eight handlers stand for eight processes: each races the others for the stream.
    const handlers = Array.from({ length: 8 }, () =>
      createCommandHandler({
        store: db.store,
        decider: ledger,
        snapshots: { store: db.snapshots, policy: { everyEvents: 3 } },
        logger: quiet,
        retry: { maxAttempts: 100, baseDelayMs: 2, maxDelayMs: 20 },
      }),
    );
    const handler = handlers[0]!;
    await handler.handle(streamId, { type: "Credit", amount: 100, from: "a" });
    const results = await Promise.all(handlers.map((each) => each.handle(streamId, { type: "Debit", amount: 30, to: "x" })));
    const applied = results.filter((result) => result.status === "applied");
    expect(applied).toHaveLength(3);
    expect(results.filter((result) => result.status === "rejected" && result.error.code === "insufficient_funds")).toHaveLength(5);
    expect(new Set(applied.map((result) => result.status === "applied" && result.nextExpectedVersion))).toEqual(new Set([2, 3, 4]));
    await Promise.all(handlers.map((each) => each.flushSnapshots()));
    const { state, version } = await handler.load(streamId);
    expect(version).toBe(4);
    expect(state.balance).toBe(10n);
  });

  it("ignores a snapshot row corrupted in the database and rebuilds from the stream", async () => {
    const streamId = nextStream();
    const handler = createCommandHandler({ store: db.store, decider: ledger, snapshots: { store: db.snapshots, policy: { everyEvents: 1 } }, logger: quiet });
    for (const amount of [5, 6, 7]) await handler.handle(streamId, { type: "Credit", amount, from: "a" });
    await handler.flushSnapshots();
    await db.sql(`UPDATE "${db.schema}".snapshots SET data = convert_to('{"json": {', 'UTF8') WHERE stream_id = $1 AND stream_version = 3`, [streamId]);
    const loaded = await handler.load(streamId);
    expect(loaded).toMatchObject({ version: 3, snapshotVersion: 0 });
    expect(loaded.state.balance).toBe(18n);
    expect(handler.metrics.snapshotsCorrupt).toBe(1);
  });
});
