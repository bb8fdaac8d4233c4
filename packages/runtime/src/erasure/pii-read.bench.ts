/**
 * Crypto-shredding overhead: reads a 10,000-event stream in which every event carries two
 * personal fields (keys cached), against the same stream written by a store without personal
 * fields; and appends with and without them. Goal: the read at most 30% slower.
 *
 * Run: `cd packages/runtime && npx tsx --conditions=@strata/source src/erasure/pii-read.bench.ts`
 * (PGlite), with `DATABASE_URL=postgres://…` for a server; `--events N`, `--reads N`.
 * Not yet part of `pnpm bench`: that harness compares Strata with raw pg, while this compares
 * Strata with itself.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { LocalKekProvider } from "../crypto/local-kek-provider.js";
import { defineRegistry } from "../registry.js";
import type { EventTypeSpec } from "../registry.js";
import type { DatabaseConfig } from "../storage/create-storage.js";
import { createEventStore } from "../store/create-event-store.js";
import type { EventStore } from "../store/event-store.js";
import { createPersonalDataStore } from "./create-personal-data-store.js";

type Payment = { readonly type: "PaymentMade"; readonly data: { customerId: string; name: string; email: string; amount: number; reference: string } };

const accept = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };
const spec = (pii: EventTypeSpec["versions"][number]["pii"]): EventTypeSpec => ({ type: "PaymentMade", latestVersion: 1, versions: { 1: { version: 1, validator: accept, pii } }, upcasters: [] });
const plainRegistry = defineRegistry<Payment>({ context: "bench", events: { PaymentMade: spec([]) } });
const piiRegistry = defineRegistry<Payment>({
  context: "bench",
  events: { PaymentMade: spec([{ path: "/name", subject: "/customerId" }, { path: "/email", subject: "/customerId" }]) },
});

const { values } = parseArgs({ options: { events: { type: "string", default: "10000" }, reads: { type: "string", default: "7" } } });
const EVENTS = Number(values.events);
const READS = Number(values.reads);
const BATCH = 100;
const customers = Array.from({ length: 100 }, () => randomUUID());
const payments: Payment[] = Array.from({ length: EVENTS }, (_, i) => ({
  type: "PaymentMade",
  data: { customerId: customers[i % customers.length] ?? "", name: `Customer ${i % customers.length}`, email: `c${i % customers.length}@example.org`, amount: i, reference: `ref-${i}` },
}));

async function appendAll(store: EventStore<Payment>, streamId: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < EVENTS; i += BATCH) await store.append(streamId, payments.slice(i, i + BATCH));
  return performance.now() - start;
}

async function readMedian(store: EventStore<Payment>, streamId: string): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r <= READS; r++) {
    const start = performance.now();
    let count = 0;
    for await (const event of store.readStream(streamId)) if (event.data.amount >= 0) count += 1;
    if (count !== EVENTS) throw new Error(`read ${count} events of ${EVENTS}`);
    if (r > 0) times.push(performance.now() - start); // the first read warms the key cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const url = process.env["DATABASE_URL"];
  const pool = url === undefined || url === "" ? undefined : new pg.Pool({ connectionString: url, max: 4 });
  const database: DatabaseConfig = pool === undefined ? { kind: "pglite" } : { kind: "postgres", pool };
  const schemas = [`bench_pii_${randomBytes(4).toString("hex")}`, `bench_plain_${randomBytes(4).toString("hex")}`] as const;
  const piiStore = await createPersonalDataStore({ registry: piiRegistry, database, schema: schemas[0], kek: new LocalKekProvider({ keks: { v1: randomBytes(32) }, current: "v1" }) });
  // PGlite: one instance per store; on a server both share the pool.
  const plain = await createEventStore({ registry: plainRegistry, database: pool === undefined ? { kind: "pglite" } : database, schema: schemas[1] });
  try {
    const appendPlain = await appendAll(plain, "s");
    const appendPii = await appendAll(piiStore.events, "s");
    const readPlain = await readMedian(plain, "s");
    const readPii = await readMedian(piiStore.events, "s");
    const rows = [
      ["append (batches of 100)", appendPlain, appendPii],
      [`read ${EVENTS}-event stream (median of ${READS})`, readPlain, readPii],
    ] as const;
    console.log(`backend: ${pool === undefined ? "PGlite" : "PostgreSQL"}; ${EVENTS} events, 2 personal fields each, ${customers.length} subjects`);
    for (const [label, without, withPii] of rows) {
      console.log(`${label.padEnd(44)} without ${without.toFixed(0).padStart(6)} ms   with ${withPii.toFixed(0).padStart(6)} ms   overhead ${((withPii / without - 1) * 100).toFixed(1)}%`);
    }
    const readOverhead = readPii / readPlain - 1;
    console.log(`read goal (≤ 30% slower): ${readOverhead <= 0.3 ? "met" : "NOT met"}`);
  } finally {
    await piiStore.close();
    await plain.close();
    if (pool !== undefined) {
      for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  }
}

await main();
