import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEventStore, createProjectionEngine } from "@strata/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import config, { registry } from "../../test/projections-config/strata.config.js";
import { main } from "../main.js";
import type { CommandIo } from "./command.js";

const FIXTURE_DIR = fileURLToPath(new URL("../../test/projections-config/", import.meta.url));
const CONFIG = path.join(FIXTURE_DIR, "strata.config.ts");
const SECRET = `secret-note-${randomBytes(4).toString("hex")}`;

function captureIo(cwd: string): { io: CommandIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: CommandIo = { cwd, stdout: (text) => void (out += text), stderr: (text) => void (err += text), stderrIsTty: false, signal: new AbortController().signal };
  return { io, out: () => out, err: () => err };
}

async function strata(cwd: string, ...args: string[]) {
  const { io, out, err } = captureIo(cwd);
  const code = await main(["projections", ...args], io);
  return { code, out: out(), err: err() };
}

interface StatusJson {
  name: string;
  kind: string;
  state: string;
  position: string | null;
  head: string | null;
  lagEvents: number;
  eventsApplied: number;
  rebuild: unknown;
  failure: { eventId: string; eventType: string; error: string; attempts: number } | null;
  lastError: string | null;
}

async function statusJson(cwd: string): Promise<{ code: number; status: StatusJson }> {
  const result = await strata(cwd, "status", "deposits", "--config", CONFIG, "--json");
  const [status] = JSON.parse(result.out) as StatusJson[];
  if (status === undefined) throw new Error(`status printed no projection: ${result.out}${result.err}`);
  return { code: result.code, status };
}

/** Splits the status table into header and rows of cells (columns are separated by 2+ spaces). */
function parseTable(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trimEnd().split("\n");
  const titles = (header ?? "").split(/ {2,}/);
  return rows.map((row) => Object.fromEntries(row.split(/ {2,}/).map((cell, index) => [titles[index] ?? String(index), cell])));
}

const backends = [
  { name: "PGlite", url: undefined },
  ...(process.env["DATABASE_URL"] === undefined ? [] : [{ name: "Postgres", url: process.env["DATABASE_URL"] }]),
];

describe.each(backends)("strata projections on $name", ({ url }) => {
  const suffix = randomBytes(5).toString("hex");
  const schema = `cli_proj_${suffix}`;
  const readSchema = `cli_proj_rm_${suffix}`;
  const saved = { ...process.env };
  let dir = "";
  const ids: string[] = [];
  const positions: bigint[] = [];

  const setFailing = (amounts: number[]) => writeFile(path.join(dir, "failing.json"), JSON.stringify(amounts));
  const append = async (amounts: number[]) => {
    const store = await createEventStore({ registry, database: config.database, schema });
    try {
      const result = await store.append("account-1", amounts.map((amount) => ({ type: "Deposited" as const, data: { amount, note: SECRET } })));
      for (const event of result.events) {
        ids.push(event.id);
        positions.push(event.globalPosition);
      }
    } finally {
      await store.close();
    }
  };
  /** Catches up in this process, as the application's runner would; resolves to the error it threw. */
  const catchUp = async (): Promise<unknown> => {
    const engine = await createProjectionEngine(config);
    try {
      await engine.catchUp();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await engine.close();
    }
  };
  /** Polls `status --json` until `done` holds: on a shared server, events may become readable late. */
  const statusUntil = async (done: (status: StatusJson) => boolean) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const result = await statusJson(dir);
      if (done(result.status) || Date.now() > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const head = () => String(positions.at(-1));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "strata-projections-"));
    // tsx (which loads the config) does not use the "@strata/source" condition; this tsconfig maps
    // @strata/runtime to its sources, as vitest does, so the test does not depend on a build.
    process.env["TSX_TSCONFIG_PATH"] = path.join(FIXTURE_DIR, "tsconfig.json");
    process.env["STRATA_PROJECTIONS_TEST_DIR"] = dir;
    process.env["STRATA_PROJECTIONS_TEST_SCHEMA"] = schema;
    process.env["STRATA_PROJECTIONS_TEST_READ_SCHEMA"] = readSchema;
    if (url === undefined) delete process.env["STRATA_PROJECTIONS_TEST_URL"];
    else process.env["STRATA_PROJECTIONS_TEST_URL"] = url;
    await setFailing([13]);
    await append([5, 13, 7]);
  }, 60_000);

  afterAll(async () => {
    if (url !== undefined) {
      const drop = [schema, readSchema, `${readSchema}__rebuild`, `${readSchema}__old`].map((name) => `DROP SCHEMA IF EXISTS "${name}" CASCADE;`).join(" ");
      // The CLI package has no Postgres client of its own (the runtime's is internal): psql drops the schemas.
      execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", drop], { env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" } });
    }
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("prints position, head, lag and state, finding strata.config.ts in the current directory", async () => {
    const { status } = await statusUntil((s) => s.head === head() && s.lagEvents === 3);
    expect(status).toMatchObject({ name: "deposits", kind: "projection", position: null, head: head(), lagEvents: 3, eventsApplied: 0, failure: null });
    expect(status.state).not.toBe("failed");

    const table = await strata(FIXTURE_DIR, "status");
    expect(table.code).toBe(0);
    expect(table.out.split("\n")[0]).toMatch(/^NAME +KIND +VERSION +STATE +POSITION +HEAD +LAG +LAG\(s\) +ACTIVE +LAST ERROR$/);
    expect(parseTable(table.out)).toEqual([
      expect.objectContaining({ NAME: "deposits", KIND: "projection", VERSION: "1", STATE: status.state, POSITION: "-", HEAD: head(), LAG: "3", ACTIVE: "no", "LAST ERROR": "-" }),
    ]);
  }, 60_000);

  it("shows a failed projection with the event id and the error's class, never the event's data, and exits 1", async () => {
    expect(await catchUp()).toMatchObject({ code: "PROJECTION_FAILED" });
    const { code, status } = await statusJson(dir);
    expect(code).toBe(1);
    expect(status).toMatchObject({ state: "failed", position: String(positions[0]), eventsApplied: 1, failure: { eventId: ids[1], eventType: "Deposited", attempts: 2 } });

    const table = await strata(dir, "status", "--config", CONFIG);
    expect(table.code).toBe(1);
    const [row] = parseTable(table.out);
    expect(row).toMatchObject({ STATE: "failed", POSITION: String(positions[0]) });
    expect(row?.["LAST ERROR"]).toContain(`on event ${ids[1]} (Deposited) after 2 attempt(s)`);
    expect(row?.["LAST ERROR"]).toContain("RangeError");
    expect(table.out + table.err).not.toContain(SECRET);
    expect(table.out + table.err).not.toContain("refusing deposit");
  }, 60_000);

  it("retry resumes at the failed event once the handler succeeds", async () => {
    await setFailing([]);
    const retry = await strata(dir, "retry", "deposits", "--config", CONFIG);
    expect(retry).toMatchObject({ code: 0, out: "deposits: resumed; the failed event will be tried again.\n" });
    const resumed = await statusJson(dir);
    expect(resumed.code).toBe(0);
    expect(resumed.status).toMatchObject({ failure: null, position: String(positions[0]), lastError: "RangeError" });
    expect(resumed.status.state).not.toBe("failed");
    // Not past the failed event yet: the last error stays in the table.
    expect(parseTable((await strata(dir, "status", "--config", CONFIG)).out)[0]?.["LAST ERROR"]).toBe("RangeError");

    expect(await catchUp()).toBeUndefined();
    const { status } = await statusJson(dir);
    expect(status).toMatchObject({ state: "live", failure: null, lastError: null, position: head(), head: head(), lagEvents: 0, eventsApplied: 3 });
    expect(parseTable((await strata(dir, "status", "--config", CONFIG)).out)[0]).toMatchObject({ STATE: "live", "LAST ERROR": "-" });

    const again = await strata(dir, "retry", "deposits", "--config", CONFIG);
    expect(again.code).toBe(2);
    expect(again.err).toContain("deposits");
  }, 60_000);

  it("skip moves past the failed event and records it", async () => {
    await setFailing([99]);
    await append([99, 8]);
    expect(await catchUp()).toMatchObject({ code: "PROJECTION_FAILED" });
    const failed = await statusJson(dir);
    expect(failed.status).toMatchObject({ state: "failed", failure: { eventId: ids[3] } });

    const skip = await strata(dir, "skip", "deposits", "--config", CONFIG);
    expect(skip).toMatchObject({ code: 0, out: "deposits: resumed past the failed event (recorded in projection_skips).\n" });
    expect(await catchUp()).toBeUndefined();
    const { code, status } = await statusJson(dir);
    expect(code).toBe(0);
    // 5, 13, 7 and 8 applied; 99 skipped.
    expect(status).toMatchObject({ state: "live", failure: null, lastError: null, position: head(), lagEvents: 0, eventsApplied: 4 });
  }, 60_000);

  it("rebuild exits 1 when the handler fails during the rebuild, naming the event but not its data", async () => {
    await setFailing([13]);
    const rebuild = await strata(dir, "rebuild", "deposits", "--config", CONFIG);
    expect(rebuild.code).toBe(1);
    expect(rebuild.err).toContain(ids[1]);
    expect(rebuild.out + rebuild.err).not.toContain(SECRET);
    const { code, status } = await statusJson(dir);
    expect(code).toBe(1);
    expect(status).toMatchObject({ state: "failed", failure: { eventId: ids[1] }, lastError: "RangeError" });
    await setFailing([]);
    expect((await strata(dir, "retry", "deposits", "--config", CONFIG)).code).toBe(0);
    expect((await statusJson(dir)).status).toMatchObject({ failure: null, lastError: "RangeError" });
  }, 60_000);

  it("rebuild folds every event into fresh tables with progress on stderr, then swaps them in", async () => {
    await setFailing([]);
    const rebuild = await strata(dir, "rebuild", "deposits", "--config", CONFIG);
    expect(rebuild).toMatchObject({ code: 0, out: "deposits: rebuilt and swapped in.\n" });
    // Every event from the start, the skipped one included (docs/projections.md, "Rebuild").
    expect(rebuild.err).toMatch(/^deposits: rebuilt 5 event\(s\), swapped in$/m);
    const { code, status } = await statusJson(dir);
    expect(code).toBe(0);
    expect(status).toMatchObject({ state: "live", failure: null, lastError: null, rebuild: null, position: head(), lagEvents: 0, eventsApplied: 5 });
  }, 60_000);

  it("rejects an unknown projection name with a clear error and exit code 2", async () => {
    for (const action of ["status", "retry", "skip", "rebuild"]) {
      const result = await strata(dir, action, "no-such-projection", "--config", CONFIG);
      expect(result.code, action).toBe(2);
      expect(result.err, action).toContain('No projection or subscription named "no-such-projection"');
      expect(result.err, action).toContain("deposits");
    }
    const missing = await strata(dir, "retry", "--config", CONFIG);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("retry|skip|rebuild <name>");
  }, 120_000);
});
