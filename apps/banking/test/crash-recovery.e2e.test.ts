// `kill -9` of the app during a burst of transfers, on the PostgreSQL server: after a restart,
// with no client action, every transfer the app acknowledged ends completed or compensated,
// nothing stays `initiated`, and the money is conserved. The kill provably lands while transfers
// are in flight: the app is paused (SIGSTOP: it commits nothing more) until its stored events show
// a transfer initiated and not ended, then killed; the store, read once the app is dead, names
// those transfers, and each of them ends after the restart.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { AppProcess } from "./support/app-process.js";
import { startAppProcess } from "./support/app-process.js";
import { loginHeaders } from "./support/auth.js";

const url = process.env["DATABASE_URL"];
const ACCOUNTS = 6;
const TRANSFERS = 120;

describe.runIf(url !== undefined && url !== "")("crash recovery [postgres]", () => {
  const schema = `crash_${randomBytes(5).toString("hex")}`;
  let dataDir = "";
  let app: AppProcess | undefined;
  afterAll(async () => {
    await app?.stop();
    const pool = new pg.Pool({ connectionString: url });
    for (const name of [schema, ...["balances", "transactions", "customers"].flatMap((rm) => [`${schema}_${rm}`, `${schema}_${rm}__rebuild`])]) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await pool.end();
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  it("resumes every transfer cut short, conserves money, and keeps every acknowledged transfer", { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "banking-crash-"));
    const args = ["--schema", schema, "--no-seed", "--data-dir", path.join(dataDir, "data")];
    const env = { DATABASE_URL: url ?? "", STRATA_DEV_KEYS: "1" };
    app = await startAppProcess(args, env);
    const base = app.url;
    const headers = { "content-type": "application/json", ...(await loginHeaders(base, "teller", path.join(dataDir, "data.auth.json"))) };
    const post = async (route: string, body: unknown, extra: Record<string, string> = {}) => {
      const response = await fetch(`${base}${route}`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const customer = await post("/customers", { name: `Crash Test ${i}`, email: `crash${i}@example.org`, address: { street: "1 Kill Street", city: "Nine", postalCode: "9", country: "DE" } });
      const account = await post("/accounts", { customerId: customer.body["customerId"], currency: "EUR", overdraftLimitMinor: 0 });
      const accountId = String(account.body["accountId"]);
      await post(`/accounts/${accountId}/deposits`, { money: { amountMinor: 10_000, currency: "EUR" }, source: "cash" });
      accounts.push(accountId);
    }
    const total = ACCOUNTS * 10_000;

    // The burst: every transfer has its id (its Idempotency-Key); the app dies in the middle of it.
    const acknowledged = new Set<string>();
    const sent: string[] = [];
    let answered = 0;
    const killed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (answered >= TRANSFERS / 4) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const burst = Array.from({ length: TRANSFERS }, async (_, i) => {
      const transferId = randomUUID();
      sent.push(transferId);
      const from = accounts[i % ACCOUNTS] ?? "";
      const to = accounts[(i * 7 + 1) % ACCOUNTS] === from ? accounts[(i + 1) % ACCOUNTS] ?? "" : accounts[(i * 7 + 1) % ACCOUNTS] ?? "";
      try {
        const reply = await post("/transfers", { fromAccountId: from, toAccountId: to, money: { amountMinor: 1 + ((i * 37) % 3_000), currency: "EUR" } }, { "idempotency-key": transferId });
        if (reply.status >= 200 && reply.status < 300) acknowledged.add(transferId);
      } catch {
        // The connection died with the app: the client does not know what happened.
      } finally {
        answered += 1;
      }
    });
    await killed;
    // Pause the app, look at what it has stored, and kill it only with a transfer mid-flight;
    // otherwise let it run a moment and look again.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const inFlight = async (): Promise<string[]> =>
      (
        await pool.query<{ stream_id: string }>(
          `SELECT stream_id FROM "${schema}".events WHERE stream_id LIKE 'transfer-%' GROUP BY stream_id
           HAVING bool_or(type = 'TransferInitiated') AND NOT bool_or(type IN ('TransferCompleted', 'TransferFailed'))`,
        )
      ).rows.map((row) => row.stream_id.slice("transfer-".length));
    for (let attempt = 0; ; attempt += 1) {
      app.pause();
      if ((await inFlight()).length > 0 || attempt === 200) break;
      app.resume();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await app.kill9();
    // Read once the app is dead: the transfers started and not completed at the kill.
    const midFlight = await inFlight();
    await pool.end();
    expect(midFlight.length).toBeGreaterThan(0);
    await Promise.all(burst);
    expect(answered).toBe(TRANSFERS);
    const cutShort = sent.length - acknowledged.size;

    // Restart; no client retries anything.
    app = await startAppProcess(args, env);
    const get = async (route: string) => {
      const response = await fetch(`${app?.url}${route}`, { headers });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const statuses = async () => {
      const out = new Map<string, string>();
      for (const transferId of sent) {
        const reply = await get(`/transfers/${transferId}`);
        out.set(transferId, reply.status === 404 ? "absent" : String(reply.body["status"]));
      }
      return out;
    };
    let seen = await statuses();
    const resumedFrom = [...seen.values()].filter((status) => status === "initiated").length;
    for (let i = 0; i < 60 && [...seen.values()].includes("initiated"); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen = await statuses();
    }
    expect([...seen.values()].filter((status) => status === "initiated")).toEqual([]);
    // The transfers cut off mid-flight by the kill were resumed by the restarted app alone.
    for (const transferId of midFlight) expect(["completed", "failed"]).toContain(seen.get(transferId));
    for (const transferId of acknowledged) expect(["completed", "failed"]).toContain(seen.get(transferId));
    let sum = 0;
    for (const accountId of accounts) sum += Number((await get(`/accounts/${accountId}`)).body["balanceMinor"]);
    expect(sum).toBe(total);
    // The burst did reach the store, and the crash did cut some of it off.
    expect([...seen.values()].filter((status) => status === "completed").length).toBeGreaterThan(0);
    expect(cutShort).toBeGreaterThan(0);
    console.log(`crash recovery: ${acknowledged.size} of ${TRANSFERS} transfers acknowledged before kill -9, ${midFlight.length} in flight at the kill, ${resumedFrom} found initiated at the restart, all ended`);
  });
});
