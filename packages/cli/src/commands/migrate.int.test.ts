import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { main } from "../main.js";
import type { CommandIo } from "./command.js";

function captureIo(): { io: CommandIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: CommandIo = {
    cwd: process.cwd(),
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    stderrIsTty: false,
    signal: new AbortController().signal,
  };
  return { io, out: () => out, err: () => err };
}

describe("strata migrate", () => {
  let dataDir = "";
  const savedUrl = process.env["DATABASE_URL"];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "strata-migrate-"));
    delete process.env["DATABASE_URL"];
  });
  afterAll(async () => {
    if (savedUrl !== undefined) process.env["DATABASE_URL"] = savedUrl;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates the store's tables in a PGlite data directory, then finds nothing to do", async () => {
    const first = captureIo();
    expect(await main(["migrate", "--data-dir", dataDir, "--json"], first.io)).toBe(0);
    const report = JSON.parse(first.out()) as { schema: string; applied: string[] };
    expect(report.schema).toBe("strata");
    expect(report.applied[0]).toBe("0001-initial");
    const second = captureIo();
    expect(await main(["migrate", "--data-dir", dataDir], second.io)).toBe(0);
    expect(second.out()).toBe('migrate: schema "strata" is up to date.\n');
  });

  it("is a usage error without a database or with a bad schema name", async () => {
    const none = captureIo();
    expect(await main(["migrate"], none.io)).toBe(2);
    expect(none.err()).toContain("no database");
    const bad = captureIo();
    expect(await main(["migrate", "--data-dir", dataDir, "--schema", "no-dashes"], bad.io)).toBe(2);
    expect(bad.err()).toContain("no-dashes");
  });

  it("reports an unreachable server as a failure, not a crash", async () => {
    const io = captureIo();
    expect(await main(["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/none"], io.io)).toBe(1);
    expect(io.err()).toMatch(/database (connection failed|is unavailable)/);
  });
});
