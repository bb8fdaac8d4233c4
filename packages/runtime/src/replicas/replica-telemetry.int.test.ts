/**
 * Telemetry of a replicated store's reads: each read's span says which server served it (the
 * replica by name, or the primary), why the primary served a read meant for a replica (lag or
 * failure), and how long the read waited for replay. One span per read, also on a fallback.
 * Against the real streaming replica (test/fixtures/replica.ts), with the OTel test SDK.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { ensureReplica, replicaUrl } from "../../test/fixtures/replica.js";
import { installTestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import type { TestTelemetry } from "../telemetry/otel-test-sdk.fixture.js";
import { createReplicatedEventStore } from "./replicated-event-store.js";
import type { ReplicatedEventStore, ReplicatedEventStoreOptions } from "./replicated-event-store.js";

const primaryUrl = process.env["DATABASE_URL"];
const standbyUrl = replicaUrl();
const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = installTestTelemetry();
});
afterAll(() => telemetry.shutdown());
beforeEach(() => telemetry.reset());

/** The one finished span named `name` (a read makes exactly one). */
function only(name: string): ReadableSpan {
  const spans = telemetry.spans().filter((span) => span.name === name);
  expect(spans.map((span) => span.name)).toEqual([name]);
  return spans[0] as ReadableSpan;
}

describe.skipIf(primaryUrl === undefined || primaryUrl === "" || standbyUrl === undefined)("replica read telemetry [postgres + streaming replica]", () => {
  let primary: pg.Pool;
  let replica: pg.Pool;
  const schemas: string[] = [];
  const stores: ReplicatedEventStore[] = [];
  beforeAll(() => {
    ensureReplica();
    primary = new pg.Pool({ connectionString: primaryUrl, max: 2 });
    replica = new pg.Pool({ connectionString: standbyUrl, max: 1 });
    replica.on("error", () => undefined);
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await replica.query("SELECT pg_wal_replay_resume()").catch(() => undefined);
    for (const schema of schemas) await primary.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await primary.end();
    await replica.end();
  });

  const open = async (options: Partial<ReplicatedEventStoreOptions<typeof testRegistry>> = {}): Promise<ReplicatedEventStore> => {
    const schema = `strata_test_${randomBytes(6).toString("hex")}`;
    schemas.push(schema);
    const store = (await createReplicatedEventStore({
      registry: testRegistry,
      schema,
      primary: { connectionString: primaryUrl ?? "" },
      replicas: [{ connectionString: standbyUrl ?? "", name: "standby-1" }],
      // Generous: on a shared machine the replica may be seconds behind.
      replayTimeoutMs: 60_000,
      ...options,
    })) as unknown as ReplicatedEventStore;
    stores.push(store);
    return store;
  };

  it("names the replica that served a read and how long it waited for replay, on readAll, readStream, streamVersion and listStreams", async () => {
    const store = await open();
    await store.append("acc-1", [deposit(1), deposit(2)]);
    telemetry.reset();
    // On a standby, readAll is held back by any transaction in flight on the primary (on a shared
    // server, another session's): the page may be short, the span must still say who served it.
    const page = await store.readAll();
    const readAll = only("strata.read_all");
    expect(readAll.attributes).toMatchObject({
      "db.system.name": "postgresql",
      "db.operation.name": "read_all",
      "strata.read.target": "replica",
      "strata.replica.name": "standby-1",
      "strata.event.count": page.events.length,
    });
    expect(readAll.attributes["strata.read.fallback"]).toBeUndefined();
    // Read-your-writes: the read had the append's WAL position to wait for.
    expect(readAll.attributes["strata.replica.replay_wait_ms"]).toBeGreaterThanOrEqual(0);

    telemetry.reset();
    const versions: number[] = [];
    for await (const event of store.readStream("acc-1")) versions.push(event.version);
    expect(versions).toEqual([1, 2]);
    expect(only("strata.read_stream").attributes).toMatchObject({ "strata.stream.id": "acc-1", "strata.read.target": "replica", "strata.replica.name": "standby-1", "strata.event.count": 2 });
    telemetry.reset();
    expect(await store.streamVersion("acc-1")).toBe(2);
    expect(only("strata.stream_version").attributes).toMatchObject({ "db.operation.name": "stream_version", "strata.stream.id": "acc-1", "strata.read.target": "replica" });
    telemetry.reset();
    expect((await store.listStreams()).streams).toHaveLength(1);
    expect(only("strata.list_streams").attributes).toMatchObject({ "db.operation.name": "list_streams", "strata.read.target": "replica" });
  }, 120_000);

  it("marks a read the primary served because the replica lagged, with the time it waited", async () => {
    const store = await open({ replayTimeoutMs: 150 });
    await replica.query("SELECT pg_wal_replay_pause()");
    try {
      await store.append("lagging", [deposit(1)]);
      telemetry.reset();
      await store.readAll();
      const span = only("strata.read_all");
      expect(span.attributes).toMatchObject({ "strata.read.target": "primary", "strata.read.fallback": "lag", "strata.replica.name": "standby-1" });
      expect(span.attributes["strata.replica.replay_wait_ms"]).toBeGreaterThanOrEqual(140); // the timeout, less clock granularity
      expect(store.routing().lagFallbacks).toBe(1);
    } finally {
      await replica.query("SELECT pg_wal_replay_resume()");
    }
  }, 120_000);

  it("marks a read the primary served because the replica is down", async () => {
    // Port 1 refuses connections on loopback: a replica that is down. Its default name is host:port.
    const down = new URL(standbyUrl ?? "");
    down.port = "1";
    const store = await open({ replicas: [{ connectionString: down.toString(), connectTimeoutMs: 500 }], downRetryMs: 60_000 });
    await store.append("down", [deposit(1)]);
    telemetry.reset();
    await store.readAll();
    expect(only("strata.read_all").attributes).toMatchObject({ "strata.read.target": "primary", "strata.read.fallback": "failure", "strata.replica.name": `${down.hostname}:1` });
    // Left out for downRetryMs: the next read goes straight to the primary, still marked as a fallback.
    telemetry.reset();
    const versions: number[] = [];
    for await (const event of store.readStream("down")) versions.push(event.version);
    expect(versions).toEqual([1]);
    const stream = only("strata.read_stream");
    expect(stream.attributes).toMatchObject({ "strata.read.target": "primary", "strata.read.fallback": "failure" });
    expect(stream.attributes["strata.replica.name"]).toBeUndefined();
  }, 60_000);
});
