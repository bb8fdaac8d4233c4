import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createInMemorySnapshotStore } from "../snapshots/in-memory-snapshot-store.js";
import { encodeSnapshotState } from "../snapshots/snapshot-codec.js";
import type { SnapshotStore } from "../snapshots/snapshot-store.js";
import type { AggregateLogger, LogFields } from "./aggregate-observability.js";
import { createCommandHandler } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";
import { createInMemoryStreams } from "./testing/in-memory-streams.js";
import type { LedgerState } from "./testing/ledger-decider.js";
import { ledgerDecider, ledgerEvolve } from "./testing/ledger-decider.js";

function recordingLogger(): AggregateLogger & { readonly lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  return {
    lines,
    debug: (message, fields) => lines.push({ level: "debug", message, fields }),
    warn: (message, fields) => lines.push({ level: "warn", message, fields }),
  };
}

const stateSchema = z.object({
  balance: z.bigint(),
  counterparties: z.map(z.string(), z.bigint()),
  tags: z.set(z.string()),
  lastActivity: z.date().nullable(),
  checksum: z.number(),
  closed: z.boolean(),
});

/** A stream of 6 events with a snapshot at version 4, then the snapshot at 4 replaced by `data`. */
async function streamWithSnapshot(data?: Uint8Array, decider = ledgerDecider()) {
  const store = createInMemoryStreams();
  const snapshots = createInMemorySnapshotStore();
  const handler = createCommandHandler({ store, decider, snapshots: { store: snapshots, policy: { everyEvents: 4 } }, logger: recordingLogger() });
  for (const from of ["alice", "bob", "carol", "dave", "erin", "frank"]) await handler.handle("l-1", { type: "Credit", amount: from.length, from });
  await handler.flushSnapshots();
  expect(snapshots.all().map((snapshot) => snapshot.streamVersion)).toEqual([4]);
  if (data !== undefined) await snapshots.save({ ...snapshots.all()[0]!, data });
  return { store, snapshots };
}

function expectNoPersonalData(lines: readonly { fields: LogFields; message: string }[]): void {
  const text = JSON.stringify(lines);
  for (const name of ["alice", "bob", "carol", "dave"]) expect(text).not.toContain(name);
}

describe("a snapshot that cannot be used", () => {
  const cases: [string, Uint8Array, string][] = [
    ["bytes that are not UTF-8", new Uint8Array([0xff, 0xfe, 0x00]), "does not decode"],
    ["bad JSON", new TextEncoder().encode('{"json": {"balance'), "does not decode"],
    ["JSON that is not a superjson document", new TextEncoder().encode("[1,2,3]"), "does not decode"],
    ["a state that fails the state schema", encodeSnapshotState({ balance: "12", tags: [] }), "fails the state schema"],
  ];

  it.each(cases)("is ignored when it holds %s: the state is rebuilt from the stream, logged and counted", async (_label, data, reason) => {
    const decider = ledgerDecider({ stateSchema });
    const { store, snapshots } = await streamWithSnapshot(data, decider);
    const logger = recordingLogger();
    const handler = createCommandHandler({ store, decider, snapshots: { store: snapshots, policy: {} }, logger });
    const loaded = await handler.load("l-1");
    const full = await loadAggregate(store, decider, "l-1");
    expect(loaded).toMatchObject({ version: 6, snapshotVersion: 0, replayedEvents: 6 });
    expect(isDeepStrictEqual(loaded.state, full.state)).toBe(true);
    expect(handler.metrics.snapshotsCorrupt).toBe(1);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: "warn", message: expect.stringContaining(reason), fields: expect.objectContaining({ streamId: "l-1", aggregate: "ledger", snapshotVersion: 4 }) }),
    ]);
    expectNoPersonalData(logger.lines);
  });

  it("is used when it passes the state schema (the control case)", async () => {
    const decider = ledgerDecider({ stateSchema });
    const { store, snapshots } = await streamWithSnapshot(undefined, decider);
    const handler = createCommandHandler({ store, decider, snapshots: { store: snapshots, policy: {} }, logger: recordingLogger() });
    expect(await handler.load("l-1")).toMatchObject({ version: 6, snapshotVersion: 4, replayedEvents: 2 });
    expect(handler.metrics.snapshotsUsed).toBe(1);
  });

  it("is ignored when it was taken with another state version, and the new evolve rebuilds the state", async () => {
    const { store, snapshots } = await streamWithSnapshot();
    // v2 of the reducer counts credits twice: a v1 snapshot would give a visibly different balance.
    const v2 = ledgerDecider({
      stateVersion: 2,
      evolve: (state, event) => {
        const next = ledgerEvolve(state, event);
        return event.type === "Credited" ? { ...next, balance: next.balance + BigInt(event.data.amount) } : next;
      },
    });
    const logger = recordingLogger();
    const handler = createCommandHandler({ store, decider: v2, snapshots: { store: snapshots, policy: { everyEvents: 1 } }, logger });
    const loaded = await handler.load("l-1");
    expect(loaded.snapshotVersion).toBe(0);
    expect(loaded.state.balance).toBe(2n * BigInt("alicebobcaroldaveerinfrank".length));
    expect(handler.metrics.snapshotsOutdated).toBe(1);
    expect(logger.lines).toEqual([expect.objectContaining({ level: "warn", fields: expect.objectContaining({ snapshotStateVersion: 1, currentStateVersion: 2 }) })]);

    await handler.handle("l-1", { type: "Credit", amount: 1, from: "gina" });
    await handler.flushSnapshots();
    expect(snapshots.all().map((snapshot) => [snapshot.streamVersion, snapshot.stateVersion])).toEqual([[4, 1], [7, 2]]);
    expect(await handler.load("l-1")).toMatchObject({ snapshotVersion: 7, replayedEvents: 0 });
  });
});

describe("a failing snapshot store", () => {
  function failing(inner: SnapshotStore, fail: { read?: boolean; write?: boolean }): SnapshotStore {
    return {
      findLatest: (query) => (fail.read === true ? Promise.reject(new Error("connection reset")) : inner.findLatest(query)),
      save: (snapshot) => (fail.write === true ? Promise.reject(new Error("disk full")) : inner.save(snapshot)),
      deleteForSubject: (subject) => inner.deleteForSubject(subject),
    };
  }

  it("on read: the load replays the stream, logs and counts", async () => {
    const { store, snapshots } = await streamWithSnapshot();
    const logger = recordingLogger();
    const decider = ledgerDecider();
    const handler = createCommandHandler({ store, decider, snapshots: { store: failing(snapshots, { read: true }), policy: {} }, logger });
    const loaded = await handler.load("l-1");
    expect(loaded).toMatchObject({ version: 6, snapshotVersion: 0 });
    expect(isDeepStrictEqual(loaded.state, (await loadAggregate(store, decider, "l-1")).state)).toBe(true);
    expect(handler.metrics.snapshotReadFailures).toBe(1);
    expect(logger.lines).toEqual([expect.objectContaining({ level: "warn", fields: expect.objectContaining({ error: "Error" }) })]);
  });

  it("on write: the command still succeeds; the failure is logged and counted", async () => {
    const store = createInMemoryStreams();
    const logger = recordingLogger();
    const handler = createCommandHandler({
      store,
      decider: ledgerDecider(),
      snapshots: { store: failing(createInMemorySnapshotStore(), { write: true }), policy: { everyEvents: 1 } },
      logger,
    });
    const result = await handler.handle("l-1", { type: "Credit", amount: 3, from: "alice" });
    expect(result.status).toBe("applied");
    await handler.flushSnapshots();
    expect(handler.metrics).toMatchObject({ commandsApplied: 1, snapshotWriteFailures: 1, snapshotsWritten: 0 });
    expect(logger.lines.filter((line) => line.level === "warn")).toEqual([
      expect.objectContaining({ message: expect.stringContaining("snapshot write failed"), fields: expect.objectContaining({ streamId: "l-1", streamVersion: 1 }) }),
    ]);
    expectNoPersonalData(logger.lines);
  });

  it("never makes the command wait for the snapshot write", async () => {
    const inner = createInMemorySnapshotStore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let saves = 0;
    const slow: SnapshotStore = { ...inner, findLatest: (q) => inner.findLatest(q), save: async (s) => { saves += 1; await gate; return inner.save(s); } };
    const handler = createCommandHandler({ store: createInMemoryStreams(), decider: ledgerDecider(), snapshots: { store: slow, policy: { everyEvents: 1 } } });
    const result = await handler.handle("l-1", { type: "Credit", amount: 3, from: "alice" });
    expect(result.status).toBe("applied");
    expect(inner.all()).toHaveLength(0);
    release();
    await handler.flushSnapshots();
    expect(saves).toBe(1);
    expect(inner.all()).toHaveLength(1);
  });
});

describe("snapshots and erasure", () => {
  it("records the declared subjects, deletes their snapshots on erasure and refuses to write them again", async () => {
    const store = createInMemoryStreams();
    const snapshots = createInMemorySnapshotStore();
    const decider = ledgerDecider({ counterpartiesAreSubjects: true });
    const handler = createCommandHandler({ store, decider, snapshots: { store: snapshots, policy: { everyEvents: 1 } }, logger: recordingLogger() });
    await handler.handle("l-1", { type: "Credit", amount: 3, from: "subject-a" });
    await handler.handle("l-2", { type: "Credit", amount: 3, from: "subject-b" });
    await handler.handle("l-1", { type: "Credit", amount: 4, from: "subject-b" });
    await handler.flushSnapshots();
    expect(snapshots.all().map((s) => [s.streamId, s.streamVersion, [...s.subjects].sort()])).toEqual([
      ["l-1", 1, ["subject-a"]],
      ["l-1", 2, ["subject-a", "subject-b"]],
      ["l-2", 1, ["subject-b"]],
    ]);

    expect(await snapshots.deleteForSubject("subject-b")).toBe(2);
    expect(snapshots.all().map((s) => [s.streamId, s.streamVersion])).toEqual([["l-1", 1]]);

    // A state loaded (with subject-b's data) before the erasure must not come back as a snapshot.
    await handler.handle("l-1", { type: "Tag", tag: "t" });
    await handler.flushSnapshots();
    expect(handler.metrics.snapshotsRefused).toBe(1);
    expect(snapshots.all().map((s) => [s.streamId, s.streamVersion])).toEqual([["l-1", 1]]);
    // Loads still work: they replay from the snapshot at 1 (which never held subject-b).
    expect(await handler.load("l-1")).toMatchObject({ version: 3, snapshotVersion: 1 });
  });
});

// Keep the state type referenced so a change of its shape breaks this test file at compile time.
export type _State = LedgerState;
