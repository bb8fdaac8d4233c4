import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateBackends, openAggregateBackend } from "../aggregate/testing/aggregate-backends.js";
import type { OpenedBackend } from "../aggregate/testing/aggregate-backends.js";
import { ledgerRegistry } from "../aggregate/testing/ledger-registry.js";
import type { LedgerEvent } from "../aggregate/testing/ledger-decider.js";
import type { NewSnapshot } from "./snapshot-store.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const snapshot = (overrides: Partial<NewSnapshot>): NewSnapshot => ({
  streamId: "s-1",
  aggregate: "ledger",
  stateVersion: 1,
  streamVersion: 1,
  data: bytes("{}"),
  subjects: [],
  ...overrides,
});

describe.each(aggregateBackends)("postgres snapshot store on $name", (backend) => {
  let db: OpenedBackend<LedgerEvent>;
  beforeAll(async () => {
    db = await openAggregateBackend(backend, ledgerRegistry);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("creates its table with the documented layout, idempotently", async () => {
    await db.snapshots.ensureSchema();
    const columns = await db.sql(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'snapshots' ORDER BY ordinal_position`,
      [db.schema],
    );
    expect(columns.map((column) => [column["column_name"], column["data_type"]])).toEqual([
      ["stream_id", "text"],
      ["aggregate", "text"],
      ["state_version", "integer"],
      ["stream_version", "bigint"],
      ["data", "bytea"],
      ["subjects", "ARRAY"],
      ["created_at", "timestamp with time zone"],
    ]);
    const key = await db.sql(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      [`"${db.schema}".snapshots`],
    );
    expect(key.map((row) => row["attname"])).toEqual(["stream_id", "aggregate", "stream_version"]);
  });

  it("finds the newest snapshot at or below a version, per stream and aggregate, with its bytes intact", async () => {
    const binary = new Uint8Array([0, 1, 2, 250, 255]);
    for (const version of [3, 10, 7]) expect(await db.snapshots.save(snapshot({ streamId: "find", streamVersion: version, data: bytes(`v${version}`) }))).toBe("saved");
    await db.snapshots.save(snapshot({ streamId: "find", aggregate: "other", streamVersion: 12, data: binary }));
    expect(Buffer.from((await db.snapshots.findLatest({ streamId: "find", aggregate: "ledger" }))!.data).toString()).toBe("v10");
    expect((await db.snapshots.findLatest({ streamId: "find", aggregate: "ledger", maxStreamVersion: 9 }))?.streamVersion).toBe(7);
    expect(await db.snapshots.findLatest({ streamId: "find", aggregate: "ledger", maxStreamVersion: 2 })).toBeUndefined();
    expect(await db.snapshots.findLatest({ streamId: "nothing", aggregate: "ledger" })).toBeUndefined();
    const other = await db.snapshots.findLatest({ streamId: "find", aggregate: "other" });
    expect(other).toMatchObject({ streamVersion: 12, stateVersion: 1, subjects: [] });
    expect(other?.data).toEqual(binary);
    expect(other?.createdAt).toBeInstanceOf(Date);
  });

  it("overwrites a snapshot at the same version (a newer state version wins)", async () => {
    await db.snapshots.save(snapshot({ streamId: "over", streamVersion: 5, stateVersion: 1, data: bytes("old") }));
    await db.snapshots.save(snapshot({ streamId: "over", streamVersion: 5, stateVersion: 2, data: bytes("new") }));
    const found = await db.snapshots.findLatest({ streamId: "over", aggregate: "ledger" });
    expect(found?.stateVersion).toBe(2);
    expect(Buffer.from(found!.data).toString()).toBe("new");
  });

  it("erasure deletes every snapshot holding the subject and refuses new ones", async () => {
    await db.snapshots.save(snapshot({ streamId: "e-1", streamVersion: 1, subjects: ["subject-1"] }));
    await db.snapshots.save(snapshot({ streamId: "e-1", streamVersion: 2, subjects: ["subject-1", "subject-2"] }));
    await db.snapshots.save(snapshot({ streamId: "e-2", streamVersion: 1, subjects: ["subject-2"] }));
    await db.snapshots.save(snapshot({ streamId: "e-3", streamVersion: 1, subjects: [] }));
    expect(await db.snapshots.deleteForSubject("subject-2")).toBe(2);
    const left = await db.sql(`SELECT stream_id, stream_version FROM "${db.schema}".snapshots WHERE stream_id LIKE 'e-%' ORDER BY 1, 2`);
    expect(left.map((row) => [row["stream_id"], Number(row["stream_version"])])).toEqual([["e-1", 1], ["e-3", 1]]);
    expect(await db.snapshots.save(snapshot({ streamId: "e-2", streamVersion: 2, subjects: ["subject-2"] }))).toBe("refused");
    expect(await db.snapshots.save(snapshot({ streamId: "e-4", streamVersion: 1, subjects: ["subject-3", "subject-2"] }))).toBe("refused");
    expect(await db.snapshots.save(snapshot({ streamId: "e-4", streamVersion: 1, subjects: ["subject-3"] }))).toBe("saved");
    expect(await db.snapshots.deleteForSubject("subject-2")).toBe(0);
  });

  it("never keeps a snapshot of a subject erased while writes race with the erasure", async () => {
    const writes = Array.from({ length: 40 }, (_, index) =>
      db.snapshots.save(snapshot({ streamId: `race-${index % 5}`, streamVersion: index + 1, subjects: ["racer", `other-${index}`] })),
    );
    const erasure = new Promise<number>((resolve, reject) => setTimeout(() => db.snapshots.deleteForSubject("racer").then(resolve, reject), 5));
    const outcomes = await Promise.all(writes);
    await erasure;
    const survivors = await db.sql(`SELECT count(*)::int AS n FROM "${db.schema}".snapshots WHERE 'racer' = ANY(subjects)`);
    expect(survivors[0]?.["n"]).toBe(0);
    expect(outcomes.every((outcome) => outcome === "saved" || outcome === "refused")).toBe(true);
  });

  it.runIf(backend.name === "postgres")("makes a write that starts during an erasure wait for it, then refuses it", async () => {
    // An erasure in another session: it holds the subject's lock and its tombstone is not committed yet.
    const eraser = new pg.Client({ connectionString: process.env["DATABASE_URL"] });
    await eraser.connect();
    try {
      await eraser.query("BEGIN");
      await eraser.query("SELECT pg_advisory_xact_lock(hashtext('strata.snapshot-subject'), hashtext($1))", ["slow-erasure"]);
      await eraser.query(`INSERT INTO "${db.schema}".snapshot_erased_subjects (subject_id) VALUES ($1)`, ["slow-erasure"]);
      let settled = false;
      const write = db.snapshots.save(snapshot({ streamId: "slow", streamVersion: 1, subjects: ["slow-erasure"] })).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false); // blocked on the lock, not racing past the uncommitted tombstone
      await eraser.query("COMMIT");
      expect(await write).toBe("refused");
      expect(await db.snapshots.findLatest({ streamId: "slow", aggregate: "ledger" })).toBeUndefined();
    } finally {
      await eraser.end();
    }
  });
});
