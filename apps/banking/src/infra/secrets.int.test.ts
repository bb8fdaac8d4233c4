import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "./open-database.js";
import { KeysNotConfiguredError, loadKeys } from "./secrets.js";

const modeOf = (path: string): number => lstatSync(path).mode & 0o777;

describe("development keys only on purpose, private at rest", () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "banking-keys-"));
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("refuses to start without STRATA_KEKS unless development keys are asked for, and says how to set them", async () => {
    const devFile = join(root, "data.keys.json");
    for (const [env, sources] of [
      [{}, { devFile, dev: false, postgres: false }],
      [{}, { devFile, dev: false, postgres: true }],
      // --dev alone never turns development keys on against a PostgreSQL server.
      [{}, { devFile, dev: true, postgres: true }],
    ] as const) {
      const error = await loadKeys(env, sources).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(KeysNotConfiguredError);
      expect((error as KeysNotConfiguredError).code).toBe("KEYS_NOT_CONFIGURED");
      expect((error as Error).message).toContain("STRATA_KEKS");
      expect((error as Error).message).toContain("strata keys generate");
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it("writes development keys 0600 in a 0700 directory when asked for (--dev on PGlite, STRATA_DEV_KEYS=1 anywhere), and reads them back", async () => {
    const devFile = join(root, "dir", "data.keys.json");
    const first = await loadKeys({}, { devFile, dev: true, postgres: false });
    expect(first.source).toBe("development file");
    expect(modeOf(devFile)).toBe(0o600);
    expect(modeOf(join(root, "dir"))).toBe(0o700);
    const second = await loadKeys({ STRATA_DEV_KEYS: "1" }, { devFile, dev: false, postgres: true });
    expect(Buffer.from(second.auditKey).equals(Buffer.from(first.auditKey))).toBe(true);
    expect((await loadKeys({}, { devFile: undefined, dev: false, postgres: false })).source).toBe("memory");
  });

  it("keeps the PGlite data directory 0700 and its files 0600", async () => {
    const dataDir = join(root, "banking");
    const database = await openDatabase({ kind: "pglite", dataDir });
    await database.readDb.query("CREATE TABLE t (x int)");
    await database.close();
    const loose: string[] = [];
    const walk = (path: string): void => {
      const stats = lstatSync(path);
      if ((stats.mode & 0o777) !== (stats.isDirectory() ? 0o700 : 0o600)) loose.push(path);
      if (stats.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    };
    walk(dataDir);
    expect(loose).toEqual([]);
  });
});
