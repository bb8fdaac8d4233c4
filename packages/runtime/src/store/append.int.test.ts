import { v7 as uuidv7 } from "uuid";
import { expect, it } from "vitest";
import { registryV1, testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import type { ExpectedVersion } from "../errors.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { describeEachBackend } from "../testing/backends.js";
import type { EventStore } from "./event-store.js";
import { rejection } from "../../test/fixtures/rejection.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };

async function versions(store: EventStore, streamId: string): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of store.readStream(streamId)) seen.push(event.version);
  return seen;
}

describeEachBackend("append", (backend) => {
  it("numbers a new stream's events 1..n and reports the versions", async () => {
    const store = await backend.createStore(testRegistry);
    const result = await store.append("account-1", [opened, deposit(5), deposit(7)], { expectedVersion: "no_stream" });
    expect(result).toMatchObject({ streamId: "account-1", firstVersion: 1, lastVersion: 3, nextExpectedVersion: 3 });
    expect(result.events.map((event) => event.version)).toEqual([1, 2, 3]);
    const positions = result.events.map((event) => event.globalPosition);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(await versions(store, "account-1")).toEqual([1, 2, 3]);
    expect(await store.streamVersion("account-1")).toBe(3);
  });

  const modes: { readonly mode: ExpectedVersion; readonly onMissing: boolean; readonly onAtTwo: boolean }[] = [
    { mode: "any", onMissing: true, onAtTwo: true },
    { mode: "no_stream", onMissing: true, onAtTwo: false },
    { mode: 0, onMissing: true, onAtTwo: false },
    { mode: "stream_exists", onMissing: false, onAtTwo: true },
    { mode: 2, onMissing: false, onAtTwo: true },
    { mode: 1, onMissing: false, onAtTwo: false },
    { mode: 3, onMissing: false, onAtTwo: false },
  ];
  for (const { mode, onMissing, onAtTwo } of modes) {
    it(`enforces expectedVersion ${JSON.stringify(mode)} on a missing stream and on a stream at version 2`, async () => {
      const store = await backend.createStore(testRegistry);
      const missing = store.append("missing", [deposit(1)], { expectedVersion: mode });
      if (onMissing) {
        expect((await missing).lastVersion).toBe(1);
      } else {
        const error = await rejection(missing);
        expect(isStrataError(error, "STREAM_CONFLICT")).toBe(true);
        expect(error).toMatchObject({ streamId: "missing", expectedVersion: mode, actualVersion: 0 });
        expect(await store.streamVersion("missing")).toBeUndefined();
      }
      await store.append("at-two", [opened, deposit(1)]);
      const atTwo = store.append("at-two", [deposit(2)], { expectedVersion: mode });
      if (onAtTwo) {
        expect((await atTwo).lastVersion).toBe(3);
      } else {
        const error = await rejection(atTwo);
        expect(isStrataError(error, "STREAM_CONFLICT")).toBe(true);
        expect(error).toMatchObject({ streamId: "at-two", expectedVersion: mode, actualVersion: 2 });
        expect(await versions(store, "at-two")).toEqual([1, 2]);
      }
    });
  }

  it("rejects an invalid batch listing every issue with its path, and writes nothing", async () => {
    const store = await backend.createStore(testRegistry);
    const bad = [
      opened,
      { type: "MoneyDeposited" as const, data: { amount: -5, currency: "EURO" } },
      { type: "AccountOpened" as const, data: { owner: "", email: "not-an-email" } },
    ];
    const error = await rejection(store.append("account-1", bad));
    expect(isStrataError(error, "EVENT_VALIDATION")).toBe(true);
    if (!isStrataError(error, "EVENT_VALIDATION")) return;
    expect(error.issues.map((issue) => [issue.eventIndex, issue.type, issue.path.join("/")]).sort()).toEqual(
      [
        [1, "MoneyDeposited", "amount"],
        [1, "MoneyDeposited", "currency"],
        [2, "AccountOpened", "owner"],
        [2, "AccountOpened", "email"],
      ].sort(),
    );
    // Messages name paths and types, never the offending values (they may be personal data).
    expect(error.message).toContain("/currency");
    expect(error.message).not.toContain("not-an-email");
    expect(error.message).not.toContain("EURO");
    expect(await store.streamVersion("account-1")).toBeUndefined();
    expect((await store.readAll()).events).toEqual([]);
  });

  it("rejects an unknown event type before writing", async () => {
    const store = await backend.createStore(testRegistry);
    const unknown = { type: "Nope", data: {} } as unknown as typeof opened;
    const error = await rejection(store.append("account-1", [opened, unknown]));
    expect(isStrataError(error, "UNKNOWN_EVENT_TYPE")).toBe(true);
    expect(await store.streamVersion("account-1")).toBeUndefined();
  });

  it("rejects empty batches, bad versions and bad ids as invalid arguments", async () => {
    const store = await backend.createStore(testRegistry);
    for (const attempt of [
      () => store.append("s", []),
      () => store.append("", [opened]),
      () => store.append("s", [opened], { expectedVersion: -1 }),
      () => store.append("s", [opened], { expectedVersion: 1.5 }),
      () => store.append("s", [{ ...opened, id: "not-a-uuid" }]),
    ]) {
      expect(isStrataError(await rejection(attempt()), "INVALID_ARGUMENT")).toBe(true);
    }
    const id = uuidv7();
    expect(isStrataError(await rejection(store.append("s", [{ ...opened, id }, { ...deposit(1), id }])), "INVALID_ARGUMENT")).toBe(true);
  });

  it("stores the validator's output, correlation, causation and custom metadata", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("account-1", [opened, { ...deposit(3), metadata: { causationId: "cmd-2", tenant: "t-9" } }], {
      metadata: { correlationId: "corr-1", causationId: "cmd-1" },
    });
    const events = [];
    for await (const event of store.readStream("account-1")) events.push(event);
    expect(events.map((event) => event.metadata)).toEqual([
      { correlationId: "corr-1", causationId: "cmd-1" },
      { correlationId: "corr-1", causationId: "cmd-2", tenant: "t-9" },
    ]);
    const [first] = events;
    expect(first?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(first?.recordedAt).toBeInstanceOf(Date);
  });

  it("returns the original result when the same append is retried, in every expected-version mode", async () => {
    const store = await backend.createStore(testRegistry);
    const batch = [
      { ...opened, id: uuidv7() },
      { ...deposit(5), id: uuidv7() },
    ];
    const first = await store.append("account-1", batch, { expectedVersion: "no_stream" });
    for (const mode of ["no_stream", "any", "stream_exists", 0] as const) {
      const again = await store.append("account-1", batch, { expectedVersion: mode });
      expect(again).toEqual(first);
    }
    await store.append("account-1", [deposit(9)]);
    expect(await store.append("account-1", batch, { expectedVersion: "any" })).toEqual(first);
    expect(await versions(store, "account-1")).toEqual([1, 2, 3]);
  });

  it("rejects an id reused with other content, in another stream, or in a different batch", async () => {
    const store = await backend.createStore(testRegistry);
    const id = uuidv7();
    await store.append("account-1", [{ ...deposit(5), id }]);
    const cases = [
      () => store.append("account-1", [{ ...deposit(6), id }]),
      () => store.append("account-2", [{ ...deposit(5), id }]),
      () => store.append("account-1", [{ ...deposit(5), id }, deposit(1)]),
    ];
    for (const attempt of cases) {
      const error = await rejection(attempt());
      expect(isStrataError(error, "DUPLICATE_EVENT_ID")).toBe(true);
      expect(error).toMatchObject({ eventId: id, existingStreamId: "account-1" });
    }
    expect(await versions(store, "account-1")).toEqual([1]);
    expect(await store.streamVersion("account-2")).toBeUndefined();
  });

  it("appends to several streams atomically, each with its own expected version", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("a", [opened]);
    const results = await store.appendMany([
      { streamId: "b", events: [opened], expectedVersion: "no_stream" },
      { streamId: "a", events: [deposit(1), deposit(2)], expectedVersion: 1 },
    ]);
    expect(results.map((result) => [result.streamId, result.firstVersion, result.lastVersion])).toEqual([
      ["b", 1, 1],
      ["a", 2, 3],
    ]);
    const error = await rejection(
      store.appendMany([
        { streamId: "c", events: [opened] },
        { streamId: "a", events: [deposit(3)], expectedVersion: 1 },
        { streamId: "b", events: [deposit(3)], expectedVersion: 1 },
      ]),
    );
    expect(error).toMatchObject({ code: "STREAM_CONFLICT", streamId: "a", actualVersion: 3 });
    expect(await store.streamVersion("c")).toBeUndefined();
    expect(await versions(store, "b")).toEqual([1]);
    expect(await versions(store, "a")).toEqual([1, 2, 3]);
  });

  it("rolls back every stream of appendMany when one batch is invalid", async () => {
    const store = await backend.createStore(testRegistry);
    const invalid = { type: "MoneyDeposited" as const, data: { amount: 0, currency: "EUR" } };
    const error = await rejection(store.appendMany([{ streamId: "x", events: [opened] }, { streamId: "y", events: [invalid] }]));
    expect(isStrataError(error, "EVENT_VALIDATION")).toBe(true);
    expect(await store.streamVersion("x")).toBeUndefined();
  });

  it("replays a retried appendMany with caller ids", async () => {
    const store = await backend.createStore(testRegistry);
    const batches = [
      { streamId: "p", events: [{ ...opened, id: uuidv7() }], expectedVersion: "no_stream" as const },
      { streamId: "q", events: [{ ...opened, id: uuidv7() }], expectedVersion: "no_stream" as const },
    ];
    const first = await store.appendMany(batches);
    expect(await store.appendMany(batches)).toEqual(first);
    expect(await versions(store, "p")).toEqual([1]);
  });

  it("writes with an older registry and reads back upcast with a newer one", async () => {
    const schema = backend.freshSchema();
    const oldStore = await backend.createStore(registryV1, { schema });
    await oldStore.append("account-1", [{ type: "MoneyDeposited", data: { amount: 5 } }]);
    const store = await backend.createStore(testRegistry, { schema });
    await store.append("account-1", [deposit(6)]);
    const events = [];
    for await (const event of store.readStream("account-1")) events.push(event);
    expect(events.map((event) => [event.storedSchemaVersion, event.schemaVersion, event.data])).toEqual([
      [1, 2, { amount: 5, currency: "EUR" }],
      [2, 2, { amount: 6, currency: "EUR" }],
    ]);
    const all = await readAllUntil(store, 2);
    expect(all.events.map((event) => event.data)).toEqual([
      { amount: 5, currency: "EUR" },
      { amount: 6, currency: "EUR" },
    ]);
  });
});
