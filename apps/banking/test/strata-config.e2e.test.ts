// `strata projections …` operates the banking app through apps/banking/strata.config.ts, on the
// PostgreSQL server: the app runs (as a separate process), the CLI reads its projections' and
// transfer process's status, rebuilds one, and the app keeps serving.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { AppProcess } from "./support/app-process.js";
import { startAppProcess } from "./support/app-process.js";

const url = process.env["DATABASE_URL"];
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const CLI = path.join(APP_DIR, "../../packages/cli/src/bin.ts");

describe.runIf(url !== undefined && url !== "")("strata.config.ts [postgres]", () => {
  const schema = `ops_${randomBytes(5).toString("hex")}`;
  let dataDir = "";
  let app: AppProcess | undefined;
  afterAll(async () => {
    await app?.stop();
    const pool = new pg.Pool({ connectionString: url });
    for (const name of [schema, ...["balances", "transactions", "customers"].flatMap((rm) => [`${schema}_${rm}`, `${schema}_${rm}__rebuild`, `${schema}_${rm}__old`])]) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await pool.end();
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  const strata = async (...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: url ?? "", STRATA_DEV_KEYS: "1", STRATA_SCHEMA: schema, STRATA_DATA_DIR: path.join(dataDir, "data") };
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "--conditions=@strata/source", CLI, "projections", ...args], { cwd: APP_DIR, env });
    return run.then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
  };

  it("shows every projection and the transfer process, and rebuilds a read model while the app runs", { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "banking-ops-"));
    app = await startAppProcess(["--schema", schema, "--data-dir", path.join(dataDir, "data")], { DATABASE_URL: url ?? "", STRATA_DEV_KEYS: "1" });
    const status = await strata("status", "--json");
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout) as { name: string; kind: string; state: string }[];
    expect(rows.map((row) => `${row.kind}:${row.name}`).sort()).toEqual([
      `projection:${schema}-balances`,
      `projection:${schema}-customers`,
      `projection:${schema}-transactions`,
      "subscription:transfer-process",
    ].sort());
    expect(rows.every((row) => row.state !== "failed")).toBe(true);
    const rebuilt = await strata("rebuild", `${schema}-balances`);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain("rebuilt and swapped in");
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
