import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { main } from "../main.js";
import { EXIT_CODES } from "./command.js";
import { captureIo } from "./testing/capture-io.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
let root: string;

async function lock(): Promise<Record<string, string>> {
  const parsed = JSON.parse(await readFile(path.join(root, "schemas", "strata.lock.json"), "utf8")) as { released: Record<string, string> };
  return parsed.released;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "strata-release-"));
  await cp(path.join(REPO, "schemas"), path.join(root, "schemas"), { recursive: true });
  await rm(path.join(root, "schemas", "strata.lock.json"), { force: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("strata release", () => {
  it("locks every schema version with its content hash, found from a subfolder", async () => {
    const io = captureIo(path.join(root, "schemas", "banking"));
    expect(await main(["release"], io)).toBe(EXIT_CODES.ok);
    expect(io.out()).toContain("banking/MoneyDeposited/v3.json");
    const released = await lock();
    expect(Object.keys(released)).toContain("banking/MoneyDeposited/v1.json");
    expect(Object.keys(released)).toContain("banking/AccountOpened/v1.json");
    expect(released["banking/MoneyDeposited/v3.json"]).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it("is idempotent: a second run locks nothing new and leaves the lock as it was", async () => {
    const before = await readFile(path.join(root, "schemas", "strata.lock.json"), "utf8");
    const io = captureIo(root);
    expect(await main(["release"], io)).toBe(EXIT_CODES.ok);
    expect(io.out()).toContain("already locked");
    expect(await readFile(path.join(root, "schemas", "strata.lock.json"), "utf8")).toBe(before);
  });

  it("refuses, with exit 1 and the file at fault, once a released version was edited", async () => {
    const file = path.join(root, "schemas", "banking", "AccountClosed", "v1.json");
    const schema = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    await writeFile(file, `${JSON.stringify({ ...schema, description: "edited after release" }, null, 2)}\n`);
    const io = captureIo(root);
    expect(await main(["release"], io)).toBe(EXIT_CODES.failure);
    expect(io.err()).toContain("banking/AccountClosed/v1.json");
  });

  it("answers a usage error for an unknown option", async () => {
    const io = captureIo(root);
    expect(await main(["release", "--nope"], io)).toBe(EXIT_CODES.usage);
  });
});
