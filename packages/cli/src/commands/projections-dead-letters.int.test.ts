/** `strata projections dead-letters list|retry|drop` against the fixture config with the dead-letter policy. */
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

async function strata(cwd: string, ...args: string[]) {
  let out = "";
  let err = "";
  const io: CommandIo = { cwd, stdout: (text) => void (out += text), stderr: (text) => void (err += text), stderrIsTty: false, signal: new AbortController().signal };
  const code = await main(["projections", ...args, "--config", CONFIG], io);
  return { code, out, err };
}

const backends = [
  { name: "PGlite", url: undefined },
  ...(process.env["DATABASE_URL"] === undefined ? [] : [{ name: "Postgres", url: process.env["DATABASE_URL"] }]),
];

describe.each(backends)("strata projections dead-letters on $name", ({ url }) => {
  const suffix = randomBytes(5).toString("hex");
  const schema = `cli_dl_${suffix}`;
  const readSchema = `cli_dl_rm_${suffix}`;
  const saved = { ...process.env };
  let dir = "";
  const ids: string[] = [];
  const setFailing = (amounts: number[]) => writeFile(path.join(dir, "failing.json"), JSON.stringify(amounts));
  const catchUp = async () => {
    const engine = await createProjectionEngine(config);
    try {
      await engine.catchUp();
    } finally {
      await engine.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "strata-dead-letters-"));
    process.env["TSX_TSCONFIG_PATH"] = path.join(FIXTURE_DIR, "tsconfig.json");
    process.env["STRATA_PROJECTIONS_TEST_DIR"] = dir;
    process.env["STRATA_PROJECTIONS_TEST_SCHEMA"] = schema;
    process.env["STRATA_PROJECTIONS_TEST_READ_SCHEMA"] = readSchema;
    process.env["STRATA_PROJECTIONS_TEST_DEAD_LETTER"] = "1";
    if (url === undefined) delete process.env["STRATA_PROJECTIONS_TEST_URL"];
    else process.env["STRATA_PROJECTIONS_TEST_URL"] = url;
    await setFailing([13]);
    const store = await createEventStore({ registry, database: config.database, schema });
    try {
      for (const stream of ["account-1", "account-2"]) {
        const result = await store.append(stream, [5, 13, 7].map((amount) => ({ type: "Deposited" as const, data: { amount: stream === "account-2" ? amount + 100 : amount, note: SECRET } })));
        ids.push(...result.events.map((event) => event.id));
      }
    } finally {
      await store.close();
    }
    await catchUp();
  }, 60_000);

  afterAll(async () => {
    if (url !== undefined) {
      const drop = [schema, readSchema, `${readSchema}__rebuild`].map((name) => `DROP SCHEMA IF EXISTS "${name}" CASCADE;`).join(" ");
      execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", drop], { env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" } });
    }
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("status counts the dead letters and list shows them without data; retry and drop replay in order", async () => {
    const status = await strata(dir, "status");
    expect(status.code).toBe(0);
    // The command is spelled for the package manager that runs the tests (npm_config_user_agent).
    expect(status.out).toMatch(/deposits: 1 dead letter\(s\), 1 parked; see "(npx|pnpm|yarn) strata projections dead-letters list deposits"\./);

    const list = await strata(dir, "dead-letters", "list");
    expect(list.code).toBe(0);
    expect(list.out.split("\n")[0]).toMatch(/^PROJECTION +STATUS +EVENT +TYPE +STREAM +VERSION +ATTEMPTS +ERROR$/);
    expect(list.out).toMatch(new RegExp(`deposits +failed +${ids[1]} +Deposited +account-1 +2 +1 +RangeError`));
    expect(list.out).toMatch(new RegExp(`deposits +parked +${ids[2]} +Deposited +account-1 +3 +0 +-`));
    expect(list.out + status.out).not.toContain(SECRET);

    const failedAgain = await strata(dir, "dead-letters", "retry", "deposits");
    expect(failedAgain.code).toBe(1);
    expect(failedAgain.err).toContain(`event ${ids[1]} (Deposited, stream account-1) failed again with RangeError after 2 attempt(s)`);

    await setFailing([]);
    expect(await strata(dir, "dead-letters", "retry", "deposits", ids[1] ?? "")).toMatchObject({ code: 0, out: "deposits: retried: 2 event(s) applied.\n" });
    expect((await strata(dir, "dead-letters", "list", "deposits")).out).toBe("No dead letters.\n");

    expect((await strata(dir, "dead-letters", "drop", "deposits", ids[1] ?? "")).code).toBe(2);
    expect((await strata(dir, "dead-letters", "drop", "deposits")).code).toBe(2);
  }, 120_000);
});
