/**
 * Crash tests: runners in child processes killed with SIGKILL mid-batch. The read model must
 * equal a fold from scratch afterwards, with no event applied twice (the ledger's primary key
 * would fail the projection) and none lost.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testRegistry } from "../../test/fixtures/test-registry.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { foldBalances, readBalances } from "./balances.fixture.js";

const CHILD = fileURLToPath(new URL("./runner-child.fixture.ts", import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly applied: () => number;
}

function startChild(config: Record<string, unknown>): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], { env: { ...process.env, STRATA_CHILD: JSON.stringify(config) }, stdio: ["ignore", "pipe", "inherit"] });
  let applied = 0;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`runner child exited early with ${code}`)));
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n")) {
        if (line === "started") resolve({ process: child, applied: () => applied });
        if (line.startsWith("applied ")) applied += Number(line.slice(8));
        if (process.env["STRATA_DEBUG_CHILD"] !== undefined && line !== "") console.log(child.pid, line);
      }
    });
  });
}

async function kill(child: Child): Promise<void> {
  child.process.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill("SIGKILL");
  await exited;
}

async function appendMany(store: EventStore, accounts: number, deposits: number): Promise<void> {
  for (let account = 0; account < accounts; account += 1) {
    await store.append(`acc-${account}`, [{ type: "AccountOpened", data: { owner: "Ada" } }, ...Array.from({ length: deposits }, (_, i) => ({ type: "MoneyDeposited" as const, data: { amount: i + 1, currency: "EUR" } }))]);
  }
}

const url = process.env["DATABASE_URL"];

describe.runIf(url !== undefined && url !== "")("projection runners killed with SIGKILL [postgres]", () => {
  const schema = `strata_test_${randomBytes(6).toString("hex")}`;
  const readSchema = `rm_${randomBytes(5).toString("hex")}`;
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  const query = async (text: string) => (await pool.query(text)).rows as Record<string, unknown>[];
  const children: Child[] = [];
  afterAll(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    for (const name of [schema, readSchema, `${readSchema}__rebuild`]) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await pool.end();
  });

  it("a killed runner's standby takes over; the read model equals a fold from scratch", async () => {
    const store = await createEventStore({ registry: testRegistry, database: { kind: "postgres", pool }, schema });
    await appendMany(store, 40, 49); // 2 000 events
    const config = { connectionString: url, schema, readSchema, batchSize: 40, delayMs: 30, leaseMs: 1_000 };
    const first = await startChild(config);
    children.push(first);
    await expect.poll(first.applied, { timeout: 40_000, interval: 20 }).toBeGreaterThan(200);
    const second = await startChild(config);
    children.push(second);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.applied()).toBe(0); // standing by while the first is alive
    await kill(first);
    await expect.poll(second.applied, { timeout: 40_000, interval: 50 }).toBeGreaterThan(0);
    await appendMany(store, 5, 9);
    const expected = await foldBalances(store);
    try {
      await expect.poll(() => readBalances(query, readSchema), { timeout: 90_000, interval: 200 }).toEqual(expected);
    } catch (error) {
      const [row] = await query(`SELECT name, state, checkpoint, events_applied, failed_event_id, last_error, lease_owner, lease_expires_at, clock_timestamp() FROM "${schema}".projections`);
      throw new Error(`not converged; second runner exit code ${String(second.process.exitCode)}; row ${JSON.stringify(row)}`, { cause: error });
    }
    const ledger = await query(`SELECT count(*)::int AS n FROM "${readSchema}".ledger`);
    expect(ledger[0]?.["n"]).toBe(2_050);
    await kill(second);
    await store.close();
  }, 240_000);
});

describe("projection runner killed with SIGKILL [pglite data directory]", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("restarts after a kill mid-batch without applying anything twice or losing anything", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "strata-crash-"));
    dirs.push(dataDir);
    const schema = "strata";
    const readSchema = "balances_rm";
    const open = async (): Promise<{ store: EventStore; pglite: PGlite }> => {
      const pglite = await PGlite.create(dataDir);
      const database: DatabaseConfig = { kind: "pglite", instance: pglite };
      return { store: await createEventStore({ registry: testRegistry, database, schema }), pglite };
    };
    let { store, pglite } = await open();
    await appendMany(store, 20, 49); // 1 000 events
    await store.close();
    await pglite.close();
    const config = { dataDir, schema, readSchema, batchSize: 25, delayMs: 20, leaseMs: 500 };
    for (let round = 0; round < 2; round += 1) {
      const child = await startChild(config);
      await expect.poll(child.applied, { timeout: 30_000, interval: 10 }).toBeGreaterThan(100);
      await kill(child);
    }
    const last = await startChild(config);
    await new Promise((resolve) => setTimeout(resolve, 500));
    last.process.kill("SIGTERM");
    await new Promise((resolve) => last.process.once("exit", resolve));
    ({ store, pglite } = await open());
    // The last runner may have stopped before the end; finish in-process from the checkpoint.
    const { createProjectionEngine } = await import("./projection-engine.js");
    const { balancesProjection } = await import("./balances.fixture.js");
    const engine = await createProjectionEngine({ database: { kind: "pglite", instance: pglite }, schema, registry: testRegistry, projections: [balancesProjection({ name: "balances", schema: readSchema })], leaseMs: 500 });
    await engine.catchUp();
    const query = async (text: string) => (await pglite.query<Record<string, unknown>>(text)).rows;
    expect(await readBalances(query, readSchema)).toEqual(await foldBalances(store));
    expect((await query(`SELECT count(*)::int AS n FROM "${readSchema}".ledger`))[0]?.["n"]).toBe(1_000);
    await engine.close();
    await store.close();
    await pglite.close();
  }, 180_000);
});
