import { expect, it } from "vitest";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { isStrataError } from "../errors.js";
import { describeEachBackend } from "../testing/backends.js";
import { rejection } from "../../test/fixtures/rejection.js";

const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };

describeEachBackend("streams", (backend) => {
  it("lists live streams in byte order, by prefix, in pages", async () => {
    const store = await backend.createStore(testRegistry);
    for (const id of ["b-2", "a-1", "b-10", "b_x", "c-1", "B-0"]) await store.append(id, [opened]);
    await store.append("b-2", [opened]);
    const all = await store.listStreams();
    expect(all.streams.map((stream) => stream.streamId)).toEqual(["B-0", "a-1", "b-10", "b-2", "b_x", "c-1"]);
    expect(all.streams.find((stream) => stream.streamId === "b-2")?.version).toBe(2);
    expect(all.next).toBeUndefined();
    const first = await store.listStreams({ prefix: "b-", limit: 1 });
    expect(first.streams.map((stream) => stream.streamId)).toEqual(["b-10"]);
    const second = await store.listStreams({ prefix: "b-", limit: 1, after: first.next });
    expect(second.streams.map((stream) => stream.streamId)).toEqual(["b-2"]);
    const third = await store.listStreams({ prefix: "b-", limit: 1, after: second.next });
    expect(third).toEqual({ streams: [], next: undefined });
    expect((await store.listStreams({ prefix: "b_" })).streams.map((stream) => stream.streamId)).toEqual(["b_x"]);
  });

  it("tombstones a stream: reads, appends, version lookups and recreation fail; listing hides it; readAll keeps its events", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("gone", [opened, opened]);
    await store.append("kept", [opened]);
    expect(await store.deleteStream("gone", { expectedVersion: 2 })).toEqual({ streamId: "gone", version: 2 });
    const attempts = [
      () => store.append("gone", [opened]),
      () => store.append("gone", [opened], { expectedVersion: "no_stream" }),
      () => store.append("gone", [opened], { expectedVersion: 2 }),
      () => store.streamVersion("gone"),
      async () => {
        for await (const event of store.readStream("gone")) void event;
      },
    ];
    for (const attempt of attempts) {
      const error = await rejection(attempt());
      expect(isStrataError(error, "STREAM_DELETED")).toBe(true);
      expect(error).toMatchObject({ streamId: "gone" });
    }
    expect((await store.listStreams()).streams.map((stream) => stream.streamId)).toEqual(["kept"]);
    const all = await readAllUntil(store, 3);
    expect(all.events.map((event) => event.streamId)).toEqual(["gone", "gone", "kept"]);
    // Deleting again is a no-op that reports the final version.
    expect(await store.deleteStream("gone", { expectedVersion: 7 })).toEqual({ streamId: "gone", version: 2 });
  });

  it("guards deletion with an expected version", async () => {
    const store = await backend.createStore(testRegistry);
    await store.append("s", [opened, opened]);
    for (const expectedVersion of [1, "no_stream", 0] as const) {
      const error = await rejection(store.deleteStream("s", { expectedVersion }));
      expect(error).toMatchObject({ code: "STREAM_CONFLICT", actualVersion: 2 });
    }
    expect(await rejection(store.deleteStream("missing", { expectedVersion: "stream_exists" }))).toMatchObject({ code: "STREAM_CONFLICT", actualVersion: 0 });
    expect(await store.streamVersion("s")).toBe(2);
    // Deleting a stream that never existed reserves its id.
    expect(await store.deleteStream("never", { expectedVersion: "no_stream" })).toEqual({ streamId: "never", version: 0 });
    expect(isStrataError(await rejection(store.append("never", [opened])), "STREAM_DELETED")).toBe(true);
    const readNever = async () => {
      for await (const event of store.readStream("never")) void event;
    };
    expect(isStrataError(await rejection(readNever()), "STREAM_DELETED")).toBe(true);
  });

  it("tells a store opened without migrations that its tables are missing", async () => {
    const store = await backend.createStore(testRegistry, { migrate: false });
    const error = await rejection(store.append("s", [opened]));
    expect(error).toMatchObject({ code: "STORE_QUERY_FAILED", sqlState: "42P01" });
    expect((error as Error).message).toContain("strata migrate");
  });

  it("rejects a bigint as an unstorable value naming the field, and a cycle as an invalid argument", async () => {
    const store = await backend.createStore(testRegistry);
    const error = await rejection(store.append("s", [opened], { metadata: { big: 1n } }));
    expect(isStrataError(error, "EVENT_VALIDATION") && error.issues[0]?.path).toEqual(["(metadata)", "big"]);
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(isStrataError(await rejection(store.append("s", [opened], { metadata: cycle })), "INVALID_ARGUMENT")).toBe(true);
    expect(await store.streamVersion("s")).toBeUndefined();
  });

  it("throws StoreUnavailableError after close", async () => {
    const store = await backend.createStore(testRegistry);
    await store.close();
    expect(isStrataError(await rejection(store.append("s", [opened])), "STORE_UNAVAILABLE")).toBe(true);
    expect(isStrataError(await rejection(store.readAll()), "STORE_UNAVAILABLE")).toBe(true);
  });
});
