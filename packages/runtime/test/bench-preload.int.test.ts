import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventStore, isStrataError } from "../src/index.js";
import type { EventStore } from "../src/index.js";
import { benchRegistry } from "../bench/fixtures/bench-registry.js";
import { depositEvent } from "../bench/fixtures/bench-events.js";
import { ensurePreloaded } from "../bench/harness/preload.js";
import { rawPgTarget } from "../bench/targets/raw-pg-target.js";
import { strataTarget } from "../bench/targets/strata-target.js";

// The bench's `--preload` seeds stores with set-based SQL behind the store's back; this keeps
// that SQL in step with the store's migrations: a seeded store must read, append and order like
// one the store wrote itself.
const url = process.env["DATABASE_URL"];

describe.skipIf(url === undefined || url === "")("bench --preload seeding [postgres]", () => {
  const connectionString = url ?? "";
  const suffix = randomBytes(4).toString("hex");
  const strataSchema = `bench_preload_test_strata_${suffix}`;
  const rawSchema = `bench_preload_test_raw_${suffix}`;
  const admin = new pg.Client({ connectionString });
  let store: EventStore | undefined;

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await store?.close();
    for (const schema of [strataSchema, rawSchema]) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it("seeds 1,000 events into a Strata store that reads, appends and keeps its global order", async () => {
    const seeded = await ensurePreloaded(strataTarget(connectionString), 1_000, connectionString, undefined, strataSchema);
    expect(seeded).toMatchObject({ schema: strataSchema, events: 1_000, seededNow: true });
    store = await createEventStore({ registry: benchRegistry, database: { kind: "postgres", connectionString }, schema: strataSchema, migrate: true });

    const stream = [];
    for await (const event of store.readStream("seed-0")) stream.push(event);
    expect(stream.map((e) => e.version)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(stream[0]?.data).toMatchObject({ ref: "seed-0", currency: "EUR" });

    const all = await store.readAll({ limit: 2_000 });
    expect(all.events.map((e) => (e.data as { ref: string }).ref)).toEqual(Array.from({ length: 1_000 }, (_, i) => `seed-${i}`));

    // The stream row is at its last version, and the seeded ids are registered as the store's own.
    await expect(store.append("seed-0", [depositEvent("late", 1)], { expectedVersion: "no_stream" })).rejects.toSatisfy((e) => isStrataError(e, "STREAM_CONFLICT"));
    const first = stream[0];
    if (first === undefined) throw new Error("seed-0 is empty");
    await expect(store.append("other", [{ ...depositEvent("dup", 2), id: first.id }])).rejects.toSatisfy((e) => isStrataError(e, "DUPLICATE_EVENT_ID"));

    await store.append("seed-0", [depositEvent("after-seed", 3)], { expectedVersion: 1_000 });
    await store.append("fresh", [depositEvent("fresh-1", 4)], { expectedVersion: "no_stream" });
    const next = await store.readAll({ after: all.checkpoint, limit: 10 });
    expect(next.events.map((e) => [e.streamId, e.version, (e.data as { ref: string }).ref])).toEqual([
      ["seed-0", 1_001, "after-seed"],
      ["fresh", 1, "fresh-1"],
    ]);
  });

  it("reuses a finished seed of the same size and reseeds an unfinished one", async () => {
    const target = strataTarget(connectionString);
    expect((await ensurePreloaded(target, 1_000, connectionString, undefined, strataSchema)).seededNow).toBe(false);
    // An interrupted seed never writes its mark.
    await admin.query(`COMMENT ON SCHEMA "${strataSchema}" IS NULL`);
    await store?.close();
    store = undefined;
    expect((await ensurePreloaded(target, 1_000, connectionString, undefined, strataSchema)).seededNow).toBe(true);
    const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${strataSchema}".events`);
    expect(Number(rows[0]?.n)).toBe(1_000);
  });

  it("seeds the raw baseline's table to the same size", async () => {
    const target = rawPgTarget(connectionString);
    await ensurePreloaded(target, 1_000, connectionString, undefined, rawSchema);
    const session = await target.open(rawSchema, { poolSize: 1, connectionString });
    try {
      expect((await session.readStream("seed-0")).map((e) => e.version)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
      await session.append("seed-0", [{ ...depositEvent("raw-after", 5), id: randomUUID() }], 1_000);
      expect((await session.readStream("seed-0")).at(-1)).toMatchObject({ version: 1_001, data: { ref: "raw-after" } });
    } finally {
      await session.close();
    }
  });
});
