import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateStorage } from "../migrations/migrate.js";
import { createStorage } from "./create-storage.js";
import { isDiskDataDir, restrictDataDir } from "./private-data-dir.js";

/** Every path under `dir` (itself included) with its permission bits, octal. */
function modes(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (path: string): void => {
    const stats = lstatSync(path);
    found.set(path, `${stats.isDirectory() ? "d" : "f"}${(stats.mode & 0o777).toString(8)}`);
    if (stats.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return found;
}

describe("PGlite data directory at rest", () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "strata-modes-"));
    umask = process.umask(0); // the worst case the issue saw: every file 0666
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates the directory 0700 and leaves every directory 0700 and every file (WAL included) 0600", async () => {
    const dataDir = join(root, "nested", "data");
    const storage = createStorage({ kind: "pglite", dataDir });
    expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    await migrateStorage(storage, "strata");
    expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    await storage.close();
    const found = modes(dataDir);
    expect([...found.keys()].some((path) => path.includes("pg_wal"))).toBe(true);
    expect(found.size).toBeGreaterThan(100);
    const loose = [...found].filter(([, mode]) => mode !== "d700" && mode !== "f600");
    expect(loose).toEqual([]);

    // Reopened (existing cluster), still private after more writes.
    const again = createStorage({ kind: "pglite", dataDir });
    await migrateStorage(again, "other");
    await again.close();
    expect([...modes(dataDir)].filter(([, mode]) => mode !== "d700" && mode !== "f600")).toEqual([]);
  });

  it("tightens a directory left loose by an earlier release, and tells disk paths from PGlite URLs", () => {
    expect(isDiskDataDir("memory://x")).toBe(false);
    expect(isDiskDataDir("idb://x")).toBe(false);
    expect(isDiskDataDir(undefined)).toBe(false);
    expect(isDiskDataDir("./data")).toBe(true);
    restrictDataDir(join(root, "loose"));
    expect(lstatSync(join(root, "loose")).mode & 0o777).toBe(0o700);
  });
});
