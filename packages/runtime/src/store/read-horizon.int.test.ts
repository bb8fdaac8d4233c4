/**
 * The read horizon is the store's own: only transactions writing this store's events hold
 * `readAll` and projections back. A write transaction held open in another database, one on an
 * unrelated table, a read-only one and another store's append no longer stall the read side;
 * this store's own held append still does (readers wait, they never skip), and everything is
 * delivered once and in order when it commits.
 *
 * Holders need a second connection: on PGlite (one connection) a held transaction cannot overlap
 * other statements, so there the suite checks that reads and projections work with the horizon
 * query, and the held-transaction cases run on the server only.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import { balancesProjection, readBalances } from "../projections/balances.fixture.js";
import { createProjectionEngine } from "../projections/projection-engine.js";
import { createStorage } from "../storage/create-storage.js";
import { describeEachBackend } from "../testing/backends.js";
import type { StoreBackend } from "../testing/backends.js";
import { appendBatch } from "./append.js";
import { prepareBatch } from "./prepare-events.js";
import { compareCheckpointParts, decodeCheckpoint } from "./checkpoint.js";
import type { RecordedEvent } from "./recorded-event.js";
import { buildStatements } from "./statements.js";
import { readAllUntil } from "../../test/fixtures/read-all-until.js";

const deposit = (amount: number) => ({ type: "MoneyDeposited" as const, data: { amount, currency: "EUR" } });
const opened = { type: "AccountOpened" as const, data: { owner: "Ada" } };
const url = process.env["DATABASE_URL"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A transaction held open on its own connection until `release()`. */
async function hold(connectionString: string, statements: readonly string[]): Promise<{ xid: string; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query("BEGIN");
  for (const statement of statements) await client.query(statement);
  const { rows } = await client.query<{ xid: string | null }>("SELECT pg_current_xact_id_if_assigned()::text AS xid");
  return {
    xid: rows[0]?.xid ?? "none",
    release: async () => {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

function otherDatabaseUrl(name: string): string {
  const parsed = new URL(url ?? "");
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function readsAndProjects(backend: StoreBackend, readSchemas: string[]): Promise<void> {
  const schema = backend.freshSchema();
  const readSchema = `rm_${randomBytes(5).toString("hex")}`;
  readSchemas.push(readSchema, `${readSchema}__rebuild`);
  const store = await backend.createStore(testRegistry, { schema });
  const engine = await createProjectionEngine({ database: backend.database(), schema, registry: testRegistry, projections: [balancesProjection({ name: "balances", schema: readSchema })], pollMs: 50 });
  try {
    await store.append("acc", [opened, deposit(3)]);
    // On a shared server another session's transaction ending mid-read can hold the horizon back
    // for a moment (events are delayed, never skipped): read until both arrived.
    const read = await readAllUntil(store, 2);
    expect(read.events.map((event) => event.type)).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect((await store.readAll({ after: read.checkpoint })).events).toEqual([]);
    await engine.catchUp();
    expect(await readBalances((text) => backend.query(text), readSchema)).toEqual([{ account: "acc", amount: 3, deposits: 1, closed: false }]);
    expect((await engine.status("balances"))[0]).toMatchObject({ state: "live", lagEvents: 0 });
  } finally {
    await engine.close();
  }
}

describeEachBackend("read horizon", (backend) => {
  const readSchemas: string[] = [];
  afterAll(async () => {
    for (const schema of readSchemas) await backend.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("reads and projects with nothing in flight", async () => {
    await readsAndProjects(backend, readSchemas);
  });

  it("pages below a horizon an earlier read computed, and still finds events committed after it before saying it caught up", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    try {
      for (let stream = 0; stream < 3; stream += 1) await store.append(`early-${stream}`, [opened, ...Array.from({ length: 9 }, (_, i) => deposit(i + 1))]);
      // The first page computes a horizon above these 30 events; the next pages may reuse it.
      const seen: RecordedEvent[] = [];
      let page = await store.readAll({ limit: 10 });
      seen.push(...page.events);
      // Committed after that horizon: a page bounded by it cannot see these.
      await store.append("late", [opened, deposit(1), deposit(2)]);
      while (!page.caughtUp) {
        page = await store.readAll({ after: page.checkpoint, limit: 10 });
        seen.push(...page.events);
      }
      expect(seen.map((event) => `${event.streamId}:${event.version}`)).toEqual([
        ...[0, 1, 2].flatMap((stream) => Array.from({ length: 10 }, (_, i) => `early-${stream}:${i + 1}`)),
        "late:1",
        "late:2",
        "late:3",
      ]);
      expect(new Set(seen.map((event) => event.id)).size).toBe(33);
    } finally {
      await store.close();
    }
  });

  if (!backend.concurrent) return;
  const connectionString = url ?? "";

  it("is not held back by a write transaction open in another database", async () => {
    const database = `strata_other_${randomBytes(5).toString("hex")}`;
    await backend.query(`CREATE DATABASE ${database}`);
    try {
      const holder = await hold(otherDatabaseUrl(database), ["CREATE TABLE batch_job (n int)", "INSERT INTO batch_job VALUES (1)"]);
      try {
        expect(holder.xid).not.toBe("none");
        await readsAndProjects(backend, readSchemas);
      } finally {
        await holder.release();
      }
    } finally {
      await backend.query(`DROP DATABASE IF EXISTS ${database}`);
    }
  });

  it("is not held back by a write transaction on an unrelated table, a read-only transaction, or another store's append", async () => {
    const table = `unrelated_${randomBytes(5).toString("hex")}`;
    await backend.query(`CREATE TABLE public.${table} (n int)`);
    const otherSchema = backend.freshSchema();
    const other = await backend.createStore(testRegistry, { schema: otherSchema });
    await other.close();
    const storage = createStorage(backend.database());
    let releaseOtherStore: () => void = () => undefined;
    const otherStoreHeld = new Promise<void>((resolve) => (releaseOtherStore = resolve));
    let otherStoreAppended: () => void = () => undefined;
    const appendedInOther = new Promise<void>((resolve) => (otherStoreAppended = resolve));
    // Another store's append, held open after writing its events.
    const otherAppend = storage.transaction(async (tx) => {
      await appendBatch(tx, buildStatements(otherSchema), prepareBatch(testRegistry, "elsewhere", [opened], "any", undefined), true);
      otherStoreAppended();
      await otherStoreHeld;
    });
    const holders = [
      await hold(connectionString, [`INSERT INTO public.${table} VALUES (1)`]),
      await hold(connectionString, ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "SELECT count(*) FROM pg_class"]),
    ];
    try {
      await appendedInOther;
      expect(holders[0]?.xid).not.toBe("none");
      await readsAndProjects(backend, readSchemas);
    } finally {
      for (const holder of holders) await holder.release();
      releaseOtherStore();
      await otherAppend;
      await storage.close();
      await backend.query(`DROP TABLE public.${table}`);
    }
  });

  it("is held back by this store's own open append, then delivers everything once and in order", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    const storage = createStorage(backend.database());
    await store.append("before", [opened]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (appended = resolve));
    const heldAppend = storage.transaction(async (tx) => {
      await appendBatch(tx, buildStatements(schema), prepareBatch(testRegistry, "held", [opened, deposit(1)], "any", undefined), true);
      appended();
      await held;
    });
    try {
      await inside;
      await store.append("after", [opened, deposit(2)]);
      // The held append took its position first: a reader stops before it and never skips it.
      const first = await store.readAll();
      expect(first.events.map((event) => event.streamId)).toEqual(["before"]);
      const waiting = await store.readAll({ after: first.checkpoint });
      expect(waiting.events).toEqual([]);
      release();
      await heldAppend;
      const rest = await store.readAll({ after: first.checkpoint });
      expect(rest.events.map((event) => `${event.streamId}:${event.version}`)).toEqual(["held:1", "held:2", "after:1", "after:2"]);
    } finally {
      release();
      await heldAppend.catch(() => undefined);
      await storage.close();
    }
  });

  it("loses and reorders nothing while appends race, some are held open, and unrelated transactions come and go", async () => {
    const schema = backend.freshSchema();
    const store = await backend.createStore(testRegistry, { schema });
    const storage = createStorage(backend.database());
    const table = `churn_${randomBytes(5).toString("hex")}`;
    await backend.query(`CREATE TABLE public.${table} (n int)`);
    const appended: RecordedEvent[] = [];
    let writersDone = false;
    const writer = async (w: number) => {
      for (let i = 0; i < 40; i += 1) appended.push(...(await store.append(`w-${w}`, [deposit(i + 1), deposit(i + 2)].slice(0, 1 + (i % 2)))).events);
    };
    const holder = async (h: number) => {
      await sleep(10 * h);
      const result = await storage.transaction(async (tx) => {
        const inside = await appendBatch(tx, buildStatements(schema), prepareBatch(testRegistry, `held-${h}`, [deposit(1), deposit(2)], "any", undefined), true);
        await sleep(50 + 40 * h);
        return inside;
      });
      appended.push(...result.events);
    };
    // Unrelated write transactions that end at any moment, including between a reader's snapshot and its lock scan.
    const churn = async () => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      while (!writersDone) {
        await client.query("BEGIN");
        await client.query(`INSERT INTO public.${table} VALUES (1)`);
        await sleep(Math.random() * 4);
        await client.query(Math.random() < 0.5 ? "COMMIT" : "ROLLBACK");
      }
      await client.end();
    };
    const delivered: RecordedEvent[] = [];
    const tail = async () => {
      let checkpoint: string | undefined;
      let giveUpAt: number | undefined;
      for (;;) {
        const page = await store.readAll({ after: checkpoint, limit: 5 });
        delivered.push(...page.events);
        checkpoint = page.checkpoint;
        if (!page.caughtUp) continue;
        if (writersDone && delivered.length >= appended.length) return;
        giveUpAt ??= writersDone ? Date.now() + 10_000 : undefined;
        if (giveUpAt !== undefined && Date.now() > giveUpAt) return;
        await sleep(1);
      }
    };
    const background = [tail(), churn(), churn()];
    await Promise.all([...Array.from({ length: 4 }, (_, w) => writer(w)), ...Array.from({ length: 3 }, (_, h) => holder(h))]);
    writersDone = true;
    await Promise.all(background);
    await storage.close();
    await backend.query(`DROP TABLE public.${table}`);
    const ids = delivered.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(appended.map((event) => event.id)));
    for (let i = 1; i < delivered.length; i += 1) {
      expect(compareCheckpointParts(decodeCheckpoint(delivered[i - 1]?.checkpoint), decodeCheckpoint(delivered[i]?.checkpoint))).toBe(-1);
    }
  });
});
