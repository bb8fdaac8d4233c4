import { expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import type { EventStore, ReadStreamOptions } from "./event-store.js";
import { rejection } from "../../test/fixtures/rejection.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function read(store: EventStore, streamId: string, options?: ReadStreamOptions): Promise<number[]> {
  const versions: number[] = [];
  for await (const event of store.readStream(streamId, options)) versions.push(event.version);
  return versions;
}

describeEachBackend("reads", (backend) => {
  it("reads a stream forward, backward, from and up to a version, in pages, with a limit", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("s", Array.from({ length: 25 }, (_, i) => deposit(i + 1)));
    const all = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(await read(store, "s", { pageSize: 4 })).toEqual(all);
    expect(await read(store, "s", { direction: "backward", pageSize: 3 })).toEqual([...all].reverse());
    expect(await read(store, "s", { fromVersion: 10, toVersion: 14, pageSize: 2 })).toEqual([10, 11, 12, 13, 14]);
    expect(await read(store, "s", { direction: "backward", fromVersion: 14, toVersion: 10 })).toEqual([14, 13, 12, 11, 10]);
    expect(await read(store, "s", { fromVersion: 20, limit: 3, pageSize: 2 })).toEqual([20, 21, 22]);
    expect(await read(store, "s", { direction: "backward", limit: 2 })).toEqual([25, 24]);
    expect(await read(store, "s", { fromVersion: 26 })).toEqual([]);
    expect(await read(store, "missing")).toEqual([]);
  });

  it("reads a stream as it was at a point in time", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("s", [opened, deposit(1)]);
    await sleep(20);
    const between = new Date();
    await sleep(20);
    await store.append("s", [deposit(2)]);
    expect(await read(store, "s", { asOf: between })).toEqual([1, 2]);
    expect(await read(store, "s", { asOf: new Date(between.getTime() - 60_000) })).toEqual([]);
    expect(await read(store, "s", { asOf: new Date() })).toEqual([1, 2, 3]);
    expect(await read(store, "s", { direction: "backward", asOf: between })).toEqual([2, 1]);
    // An event's own recordedAt is exact, so reading as of it includes the event.
    const appended = await store.append("s", [deposit(3)]);
    const third = appended.events[0];
    expect(await read(store, "s", { asOf: third?.recordedAt })).toEqual([1, 2, 3, 4]);
    const readBack = [];
    for await (const event of store.readStream("s", { fromVersion: 4 })) readBack.push(event.recordedAt.getTime());
    expect(readBack).toEqual([third?.recordedAt.getTime()]);
  });

  it("rejects invalid read arguments", async () => {
    const store = await backend.createStore(testRegistry);
    for (const options of [{ fromVersion: -1 }, { pageSize: 0 }, { limit: 1.5 }] satisfies ReadStreamOptions[]) {
      expect(isStrataError(await rejection(read(store, "s", options)), "INVALID_ARGUMENT")).toBe(true);
    }
    expect(isStrataError(await rejection(store.readAll({ after: "garbage" })), "INVALID_CHECKPOINT")).toBe(true);
    expect(isStrataError(await rejection(store.readAll({ limit: 0 })), "INVALID_ARGUMENT")).toBe(true);
  });

  it("pages through the global order with opaque checkpoints, each event once", async () => {
    const store = await backend.createStore(testRegistry);
    for (let i = 0; i < 10; i += 1) await store.append(`s-${i % 3}`, [deposit(i + 1), deposit(i + 100)]);
    const pageSizes: number[] = [];
    const { events, checkpoint } = await readAllUntil(store, 20, { limit: 3 }, (page) => pageSizes.push(page.length));
    expect(pageSizes.every((size) => size <= 3)).toBe(true);
    expect(events.map((event) => (event.data as { amount: number }).amount)).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, i + 100]).flat());
    expect(JSON.parse(JSON.stringify({ checkpoint })).checkpoint).toBe(checkpoint);
    expect((await store.readAll({ after: checkpoint })).events).toEqual([]);
    await store.append("s-0", [deposit(999)]);
    const next = await readAllUntil(store, 1, { after: checkpoint });
    expect(next.events.map((event) => event.data)).toEqual([{ amount: 999, currency: "EUR" }]);
    // A recorded event's own checkpoint resumes right after it.
    const resumed = await readAllUntil(store, 1, { after: events[0]?.checkpoint, limit: 1 });
    expect(resumed.events[0]?.data).toEqual({ amount: 100, currency: "EUR" });
  });

  it("filters the global order by event type and by stream prefix in SQL", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("account-1", [opened, deposit(1)]);
    await store.append("acc%_-x", [opened, deposit(2)]);
    await store.append("ledger-1", [deposit(3), { type: "AccountClosed", data: { reason: "done" } }]);
    await readAllUntil(store, 6);
    const types = await store.readAll({ types: ["MoneyDeposited"], limit: 2 });
    expect(types.events.map((event) => event.data)).toEqual([
      { amount: 1, currency: "EUR" },
      { amount: 2, currency: "EUR" },
    ]);
    const rest = await store.readAll({ types: ["MoneyDeposited"], after: types.checkpoint });
    expect(rest.events.map((event) => event.data)).toEqual([{ amount: 3, currency: "EUR" }]);
    const prefixed = await store.readAll({ streamPrefix: "account-" });
    expect(prefixed.events.map((event) => `${event.streamId}@${event.version}`)).toEqual(["account-1@1", "account-1@2"]);
    // LIKE wildcards in a prefix match literally.
    const literal = await store.readAll({ streamPrefix: "acc%_" });
    expect(literal.events.map((event) => event.streamId)).toEqual(["acc%_-x", "acc%_-x"]);
    const both = await store.readAll({ streamPrefix: "ledger", types: ["AccountClosed"] });
    expect(both.events.map((event) => event.type)).toEqual(["AccountClosed"]);
  });

});
