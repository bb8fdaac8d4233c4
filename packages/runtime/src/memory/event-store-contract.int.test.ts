/**
 * The event store contract, run on the in-memory store, on PGlite and (with DATABASE_URL) on the
 * PostgreSQL server: expected versions, idempotent retries, all-or-nothing appendMany, the global
 * order, upcasting on read, tombstones and crypto-shredding. Each backend opens stores through a
 * harness; everything else is one suite.
 */
import { randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { registryV1, testRegistry } from "../../test/fixtures/test-registry.js";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { ERASED } from "../crypto/erased.js";
import { piiRegistry } from "../erasure/personal-data.fixture.js";
import type { ExpectedVersion } from "../errors.js";
import type { EventRegistry, EventShape } from "../registry.js";
import type { EventStore } from "../store/event-store.js";
import { describeEachBackend } from "../testing/backends.js";
import { createMemoryEventStore } from "./memory-event-store.js";
import { createMemoryEventStorage } from "./memory-storage.js";

/** How the suite opens stores on one backend. `place` names shared storage (a schema, a memory storage). */
interface Harness {
  open(registry: EventRegistry<EventShape>, place: string, personal?: boolean): Promise<EventStore>;
  /** Erases a subject in `place` and returns a store that reads it afterwards. */
  erase(registry: EventRegistry<EventShape>, place: string, subjectId: string): Promise<EventStore>;
  /** What is stored in `place`, as JSON text (to look for plaintext). */
  stored(place: string): Promise<string>;
}

const kek = new LocalKekProvider({ keks: { k1: randomBytes(32) }, current: "k1" });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };
const deposit = (amount: number, id?: string) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" }, ...(id === undefined ? {} : { id }) });
const fresh = (): string => `p${randomBytes(5).toString("hex")}`;

async function collect(iterable: AsyncIterable<{ readonly version: number; readonly type: string; readonly data: unknown; readonly storedSchemaVersion: number }>) {
  const seen = [];
  for await (const event of iterable) seen.push(event);
  return seen;
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function contract(harness: () => Harness): void {
  const modes: { readonly mode: ExpectedVersion; readonly onMissing: boolean; readonly onAtTwo: boolean }[] = [
    { mode: "any", onMissing: true, onAtTwo: true },
    { mode: "no_stream", onMissing: true, onAtTwo: false },
    { mode: "stream_exists", onMissing: false, onAtTwo: true },
    { mode: 2, onMissing: false, onAtTwo: true },
    { mode: 1, onMissing: false, onAtTwo: false },
  ];
  it.each(modes)("expected version $mode: on a missing stream $onMissing, at version 2 $onAtTwo", async ({ mode, onMissing, onAtTwo }) => {
    const store = await harness().open(testRegistry, fresh());
    expect(await code(store.append("missing", [opened], { expectedVersion: mode }))).toBe(onMissing ? undefined : "STREAM_CONFLICT");
    await store.append("two", [opened, deposit(1)]);
    expect(await code(store.append("two", [deposit(2)], { expectedVersion: mode }))).toBe(onAtTwo ? undefined : "STREAM_CONFLICT");
    expect(await store.streamVersion("two")).toBe(onAtTwo ? 3 : 2);
  });

  it("a retried append with the same ids returns the original result; other content under those ids is a duplicate", async () => {
    const store = await harness().open(testRegistry, fresh());
    const ids = [uuidv7(), uuidv7()];
    const first = await store.append("acc", [deposit(5, ids[0]), deposit(6, ids[1])], { expectedVersion: "no_stream" });
    const retry = await store.append("acc", [deposit(5, ids[0]), deposit(6, ids[1])], { expectedVersion: "no_stream" });
    expect(retry.events.map((event) => [event.id, event.version, event.globalPosition])).toEqual(first.events.map((event) => [event.id, event.version, event.globalPosition]));
    expect(await store.streamVersion("acc")).toBe(2);
    expect(await code(store.append("acc", [deposit(99, ids[0])]))).toBe("DUPLICATE_EVENT_ID");
    expect(await code(store.append("other", [deposit(5, ids[0])]))).toBe("DUPLICATE_EVENT_ID");
  });

  it("appendMany writes every batch or none", async () => {
    const store = await harness().open(testRegistry, fresh());
    await store.append("b", [opened]);
    const failed = store.appendMany([
      { streamId: "a", events: [opened], expectedVersion: "no_stream" },
      { streamId: "b", events: [deposit(1)], expectedVersion: "no_stream" },
    ]);
    expect(await code(failed)).toBe("STREAM_CONFLICT");
    expect(await store.streamVersion("a")).toBeUndefined();
    const results = await store.appendMany([{ streamId: "a", events: [opened] }, { streamId: "b", events: [deposit(1)], expectedVersion: 1 }]);
    expect(results.map((result) => result.lastVersion)).toEqual([1, 2]);
  });

  it("readAll hands out every event once, in append order, page by page, filtered by type", async () => {
    const store = await harness().open(testRegistry, fresh());
    await Promise.all(Array.from({ length: 12 }, (_, index) => store.append(`s-${index % 4}`, [deposit(index + 1)])));
    await store.append("s-0", [opened]);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.readAll({ after, limit: 5, types: ["MoneyDeposited"] });
      seen.push(...page.events.map((event) => event.id));
      after = page.checkpoint;
      if (page.caughtUp) break;
    }
    expect(new Set(seen).size).toBe(12);
    // Pages continue where the last ended: the same order as one read of everything.
    expect(seen).toEqual((await store.readAll({ types: ["MoneyDeposited"] })).events.map((event) => event.id));
    expect((await store.readAll({ after })).events).toEqual([]);
  });

  it("upcasts events written with an older schema version on every read", async () => {
    const place = fresh();
    const old = await harness().open(registryV1 as EventRegistry<EventShape>, place);
    await old.append("acc", [{ type: "MoneyDeposited", data: { amount: 7 } }]);
    const store = await harness().open(testRegistry, place);
    const [event] = await collect(store.readStream("acc"));
    expect(event).toMatchObject({ type: "MoneyDeposited", storedSchemaVersion: 1, data: { amount: 7, currency: "EUR" } });
    expect((await store.readAll()).events[0]).toMatchObject({ schemaVersion: 2, data: { amount: 7, currency: "EUR" } });
  });

  it("reads a stream backward and within versions; a deleted stream can be neither read nor appended to", async () => {
    const store = await harness().open(testRegistry, fresh());
    await store.append("acc", [opened, deposit(1), deposit(2), deposit(3)]);
    expect((await collect(store.readStream("acc", { direction: "backward", limit: 2 }))).map((event) => event.version)).toEqual([4, 3]);
    expect((await collect(store.readStream("acc", { fromVersion: 2, toVersion: 3 }))).map((event) => event.version)).toEqual([2, 3]);
    expect(await store.deleteStream("acc", { expectedVersion: 4 })).toEqual({ streamId: "acc", version: 4 });
    expect(await code(store.append("acc", [deposit(4)]))).toBe("STREAM_DELETED");
    expect(await code(collect(store.readStream("acc")))).toBe("STREAM_DELETED");
    expect((await store.listStreams()).streams.map((stream) => stream.streamId)).not.toContain("acc");
  });

  it("crypto-shredding: personal fields are stored encrypted, read in clear, and read as ERASED after erasure", async () => {
    const place = fresh();
    const store = await harness().open(piiRegistry as EventRegistry<EventShape>, place, true);
    const customer = (id: string, email: string) => ({ type: "CustomerRegistered", data: { customerId: id, profile: { name: `Name ${id}`, email }, tier: "gold" } });
    await store.append("c-1", [customer("c-1", "ada@example.com")] as never);
    await store.append("c-2", [customer("c-2", "bob@example.com")] as never);
    expect(await harness().stored(place)).not.toContain("ada@example.com");
    expect((await collect(store.readStream("c-1")))[0]?.data).toMatchObject({ profile: { email: "ada@example.com" } });
    const after = await harness().erase(piiRegistry as EventRegistry<EventShape>, place, "c-1");
    expect((await collect(after.readStream("c-1")))[0]?.data).toEqual({ customerId: "c-1", profile: { name: ERASED, email: ERASED }, tier: "gold" });
    expect((await collect(after.readStream("c-2")))[0]?.data).toMatchObject({ profile: { email: "bob@example.com" } });
  });
}

describe("event store contract [memory]", () => {
  const storages = new Map<string, ReturnType<typeof createMemoryEventStorage>>();
  const stores = new Map<string, ReturnType<typeof createMemoryEventStore>>();
  const storage = (place: string) => storages.get(place) ?? storages.set(place, createMemoryEventStorage()).get(place)!;
  contract(() => ({
    open: async (registry, place) => {
      const store = createMemoryEventStore({ registry, storage: storage(place) });
      stores.set(place, store);
      return store as unknown as EventStore;
    },
    erase: async (_registry, place, subjectId) => {
      const store = stores.get(place)!;
      await store.eraseSubject(subjectId);
      return store as unknown as EventStore;
    },
    stored: async (place) => JSON.stringify(storage(place).events),
  }));
});

describeEachBackend("event store contract", (backend) => {
  const schemas = new Map<string, string>();
  const schemaOf = (place: string): string => schemas.get(place) ?? schemas.set(place, backend.freshSchema()).get(place)!;
  contract(() => ({
    open: (registry, place, personal = false) =>
      backend.createStore(registry, { schema: schemaOf(place), personalData: personal ? { kek } : "unencrypted" }) as unknown as Promise<EventStore>,
    erase: async (registry, place, subjectId) => {
      await backend.query(`DELETE FROM "${schemaOf(place)}".subject_keys WHERE subject_id = $1`, [subjectId]);
      // A new store: the first one caches data keys for minutes (see SubjectKeys), as another process would.
      return backend.createStore(registry, { schema: schemaOf(place), personalData: { kek } }) as unknown as Promise<EventStore>;
    },
    stored: async (place) => JSON.stringify(await backend.query(`SELECT data FROM "${schemaOf(place)}".events`)),
  }));
});
