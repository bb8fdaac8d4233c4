import { describe, expect, it } from "vitest";
import { isStrataError, StoreUnavailableError } from "../errors.js";
import { isAggregateLayerError } from "./aggregate-errors.js";
import { createCommandHandler, handleCommand } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";
import type { EventStoreLike } from "./event-store-like.js";
import { createInMemoryStreams } from "./testing/in-memory-streams.js";
import { ledgerDecider } from "./testing/ledger-decider.js";

const ledger = ledgerDecider();
const quiet = { debug: () => undefined, warn: () => undefined };

/** Wraps a store so that another writer appends to the stream just before each of our first `n` appends. */
function withRivalWrites(store: EventStoreLike, n: number): EventStoreLike {
  let left = n;
  return {
    readStream: (streamId, options) => store.readStream(streamId, options),
    async append(streamId, events, options) {
      if (left > 0) {
        left -= 1;
        await store.append(streamId, [{ type: "Tagged", data: { tag: `rival-${left}` } }], { expectedVersion: "any" });
      }
      return store.append(streamId, events, options);
    },
  };
}

describe("createCommandHandler", () => {
  it("appends the decided events with the loaded version and returns the new version and recorded events", async () => {
    const store = createInMemoryStreams();
    const handler = createCommandHandler({ store, decider: ledger, logger: quiet });
    const first = await handler.handle("l-1", { type: "Credit", amount: 100, from: "alice" }, { eventIds: ["e-1"], metadata: { correlationId: "c-1" } });
    expect(first).toMatchObject({ status: "applied", nextExpectedVersion: 1, attempts: 1 });
    expect(first.status === "applied" && first.events.map((event) => [event.id, event.type, event.version])).toEqual([["e-1", "Credited", 1]]);
    const second = await handler.handle("l-1", { type: "Debit", amount: 30, to: "bob" });
    expect(second).toMatchObject({ status: "applied", nextExpectedVersion: 2 });
    const { state, version } = await handler.load("l-1");
    expect(version).toBe(2);
    expect(state.balance).toBe(70n);
    expect(handler.metrics.commandsApplied).toBe(2);
  });

  it("returns a typed rejection without appending anything", async () => {
    const store = createInMemoryStreams();
    const handler = createCommandHandler({ store, decider: ledger, logger: quiet });
    await handler.handle("l-1", { type: "Credit", amount: 10, from: "alice" });
    const result = await handler.handle("l-1", { type: "Debit", amount: 11, to: "bob" });
    expect(result).toEqual({ status: "rejected", error: { code: "insufficient_funds", balance: 10n }, version: 1, attempts: 1 });
    if (result.status === "rejected" && result.error.code === "insufficient_funds") {
      // The domain error is typed by the decider: `balance` exists only on this code.
      expect(result.error.balance).toBe(10n);
    }
    expect(store.events("l-1")).toHaveLength(1);
    expect(handler.metrics.commandsRejected).toBe(1);
  });

  it("does not append when the decision is empty", async () => {
    const store = createInMemoryStreams();
    await handleCommand(store, ledger, "l-1", { type: "Tag", tag: "vip" });
    const calls = store.appendCalls.count;
    const result = await handleCommand(store, ledger, "l-1", { type: "Tag", tag: "vip" });
    expect(result).toEqual({ status: "applied", nextExpectedVersion: 1, events: [], attempts: 1 });
    expect(store.appendCalls.count).toBe(calls);
  });

  it("retries on a stream conflict, re-deciding against the reloaded state", async () => {
    const inner = createInMemoryStreams();
    const handler = createCommandHandler({ store: withRivalWrites(inner, 2), decider: ledger, logger: quiet, random: () => 0 });
    const result = await handler.handle("l-1", { type: "Credit", amount: 5, from: "alice" });
    expect(result).toMatchObject({ status: "applied", attempts: 3, nextExpectedVersion: 3 });
    expect(inner.events("l-1").map((event) => event.type)).toEqual(["Tagged", "Tagged", "Credited"]);
    expect(handler.metrics.conflictRetries).toBe(2);
  });

  it("gives up after maxAttempts with a typed error whose cause is the last conflict", async () => {
    const inner = createInMemoryStreams();
    const handler = createCommandHandler({
      store: withRivalWrites(inner, 10),
      decider: ledger,
      logger: quiet,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error: unknown = await handler.handle("l-1", { type: "Credit", amount: 5, from: "alice" }).catch((caught: unknown) => caught);
    expect(isAggregateLayerError(error, "COMMAND_RETRIES_EXHAUSTED")).toBe(true);
    expect((error as Error).message).toContain('ledger stream "l-1" gave up after 3 attempts');
    expect(isStrataError((error as Error).cause, "STREAM_CONFLICT")).toBe(true);
    expect(handler.metrics).toMatchObject({ conflictRetries: 2, retriesExhausted: 1, commandsApplied: 0 });
    expect(inner.events("l-1").filter((event) => event.type === "Credited")).toHaveLength(0);
  });

  it("does not retry errors other than a stream conflict", async () => {
    const inner = createInMemoryStreams();
    let appends = 0;
    const failing: EventStoreLike = {
      readStream: (streamId, options) => inner.readStream(streamId, options),
      append: () => {
        appends += 1;
        return Promise.reject(new StoreUnavailableError("down"));
      },
    };
    const handler = createCommandHandler({ store: failing, decider: ledger, logger: quiet });
    await expect(handler.handle("l-1", { type: "Credit", amount: 5, from: "a" })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(appends).toBe(1);
  });

  it.each([
    ["8 handlers (as in 8 processes)", false],
    ["one handler without its per-stream queue", true],
  ])("applies every concurrent command exactly once or rejects it with a domain error: %s", async (_label, shared) => {
    const store = createInMemoryStreams();
    const make = () => createCommandHandler({ store, decider: ledger, logger: quiet, retry: { maxAttempts: 50, baseDelayMs: 1, maxDelayMs: 5 }, queuePerStream: false });
    const one = make();
    const handlers = Array.from({ length: 8 }, () => (shared ? one : make()));
    await one.handle("l-1", { type: "Credit", amount: 50, from: "alice" });
    const results = await Promise.all(handlers.map((handler) => handler.handle("l-1", { type: "Debit", amount: 10, to: "bob" })));
    expect(results.some((result) => result.attempts > 1)).toBe(true); // the callers really raced
    const applied = results.filter((result) => result.status === "applied");
    const rejected = results.filter((result) => result.status === "rejected");
    expect(applied).toHaveLength(5);
    expect(rejected.map((result) => result.status === "rejected" && result.error.code)).toEqual(Array(3).fill("insufficient_funds"));
    expect(store.events("l-1").filter((event) => event.type === "Debited")).toHaveLength(5);
    const { state } = await loadAggregate(store, ledger, "l-1");
    expect(state.balance).toBe(0n);
  });

  it("queues concurrent commands on one stream within a handler, so they do not conflict", async () => {
    const store = createInMemoryStreams();
    const handler = createCommandHandler({ store, decider: ledger, logger: quiet });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => handler.handle("l-1", { type: "Credit", amount: i + 1, from: "a" })));
    expect(results.map((result) => result.status === "applied" && result.nextExpectedVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(handler.metrics.conflictRetries).toBe(0);
    // Other streams are not held up by a slow one.
    const other = await handler.handle("l-2", { type: "Tag", tag: "x" });
    expect(other.status).toBe("applied");
  });
});
