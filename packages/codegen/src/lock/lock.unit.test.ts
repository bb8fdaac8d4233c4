import { readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isCatalogError, isLockFileError, type CatalogProblem } from "../errors.js";
import { loadCatalog } from "../load/load-catalog.js";
import { tempCatalog, type TempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { LOCK_FILE_NAME, readLock } from "./lock-file.js";
import { recordRelease } from "./record-release.js";

const created: TempCatalog[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.cleanup()));
});

async function banking(): Promise<TempCatalog> {
  const catalog = await tempCatalog({}, { withBanking: true });
  created.push(catalog);
  return catalog;
}

async function problemsOf(root: string): Promise<readonly CatalogProblem[]> {
  const error: unknown = await loadCatalog({ root }).then(() => undefined, (e: unknown) => e);
  if (!isCatalogError(error)) throw new Error("expected a CatalogError");
  return error.problems;
}

const v1 = "banking/MoneyDeposited/v1.json";

/** What a release of the sample catalog locks: every version file and every shared definition. */
async function lockableFiles(root: string, under = "banking"): Promise<string[]> {
  const entries = await readdir(join(root, under), { recursive: true });
  return entries
    .map((entry) => `${under}/${entry.replaceAll("\\", "/")}`)
    .filter((file) => /\/v\d+\.json$/.test(file) || /\/_defs\/[^/]+\.json$/.test(file))
    .sort();
}

/** The sample catalog's versions of one event type, highest last. */
async function versionsOf(root: string, event: string): Promise<number[]> {
  const files = await readdir(join(root, "banking", event));
  return files.flatMap((f) => /^v(\d+)\.json$/.exec(f)?.[1] ?? []).map(Number).sort((a, b) => a - b);
}

describe("lock file of released versions", () => {
  it("records every version and the shared files they use, then marks them released", async () => {
    const { root } = await banking();
    expect((await readLock(root)).released).toEqual({});
    const { added } = await recordRelease(root);
    expect(added).toContain(v1);
    expect(added).toContain("banking/_defs/money.json");
    expect([...added].sort()).toEqual(await lockableFiles(root));
    const text = await readFile(join(root, LOCK_FILE_NAME), "utf8");
    const lock = JSON.parse(text) as { lockVersion: number; released: Record<string, string> };
    expect(lock.lockVersion).toBe(1);
    expect(Object.keys(lock.released)).toEqual([...Object.keys(lock.released)].sort());
    const model = await loadCatalog({ root });
    const versions = model.contexts.flatMap((c) => c.events.flatMap((e) => e.versions));
    for (const v of versions) {
      expect(v.released).toBe(true);
      expect(lock.released[v.file]).toBe(v.hash);
    }
  });

  it("is idempotent, writes atomically and adds only new versions", async () => {
    const catalog = await banking();
    await recordRelease(catalog.root);
    const before = await readFile(join(catalog.root, LOCK_FILE_NAME), "utf8");
    expect((await recordRelease(catalog.root)).added).toEqual([]);
    expect(await readFile(join(catalog.root, LOCK_FILE_NAME), "utf8")).toBe(before);
    const released = await versionsOf(catalog.root, "MoneyDeposited");
    const last = released.at(-1) ?? 0;
    const next = `banking/MoneyDeposited/v${last + 1}.json`;
    const copy = JSON.parse(await readFile(join(catalog.root, `banking/MoneyDeposited/v${last}.json`), "utf8")) as Record<string, unknown>;
    await catalog.write({ [next]: { ...copy, $id: `https://strata.dev/schemas/${next}` } });
    const model = await loadCatalog({ root: catalog.root });
    expect(model.contexts[0]?.events.find((e) => e.name === "MoneyDeposited")?.versions.map((v) => v.released)).toEqual([...released.map(() => true), false]);
    expect((await recordRelease(catalog.root)).added).toEqual([next]);
    expect((await readdir(catalog.root)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves a complete lock file when releases run concurrently", async () => {
    const { root } = await banking();
    await Promise.all([recordRelease(root), recordRelease(root), recordRelease(root)]);
    expect(Object.keys((await readLock(root)).released).sort()).toEqual(await lockableFiles(root));
    expect((await readdir(root)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("lets unreleased versions change freely", async () => {
    const catalog = await banking();
    await catalog.write({
      "banking/Extra/v1.json": { $id: "https://strata.dev/schemas/banking/Extra/v1.json", title: "Extra", type: "object" },
    });
    await recordRelease(catalog.root);
    await catalog.write({
      "banking/Extra/v2.json": { $id: "https://strata.dev/schemas/banking/Extra/v2.json", title: "Extra", type: "object" },
    });
    await catalog.write({
      "banking/Extra/v2.json": { $id: "https://strata.dev/schemas/banking/Extra/v2.json", title: "Extra", type: "object", description: "changed" },
    });
    await expect(loadCatalog({ root: catalog.root })).resolves.toBeDefined();
  });

  it("does not treat reformatting or key reordering as an edit", async () => {
    const { root } = await banking();
    await recordRelease(root);
    const value = JSON.parse(await readFile(join(root, v1), "utf8")) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(value).reverse());
    await writeFile(join(root, v1), JSON.stringify(reordered));
    await expect(loadCatalog({ root })).resolves.toBeDefined();
  });

  it("catches an edited released version, naming the file", async () => {
    const { root } = await banking();
    await recordRelease(root);
    const value = JSON.parse(await readFile(join(root, v1), "utf8")) as Record<string, unknown>;
    await writeFile(join(root, v1), JSON.stringify({ ...value, description: "edited" }));
    const problems = await problemsOf(root);
    expect(problems).toEqual([expect.objectContaining({ code: "released-version-edited", file: `schemas/${v1}`, pointer: "" })]);
    expect(problems[0]?.message).toContain("strata new-version banking/MoneyDeposited");
    await expect(recordRelease(root)).rejects.toSatisfy(isCatalogError);
  });

  it("catches an edited shared definition used by released versions", async () => {
    const { root } = await banking();
    await recordRelease(root);
    const file = join(root, "banking/_defs/money.json");
    const value = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...value, description: "edited" }));
    expect((await problemsOf(root)).map((p) => [p.code, p.file])).toEqual([["released-version-edited", "schemas/banking/_defs/money.json"]]);
  });

  it("catches a deleted or renamed released version", async () => {
    const catalog = await banking();
    await recordRelease(catalog.root);
    const gone = [...(await lockableFiles(catalog.root, "banking/AccountFrozen")), ...(await lockableFiles(catalog.root, "banking/TransferFailed"))];
    await rename(join(catalog.root, "banking/AccountFrozen"), join(catalog.root, "banking/AccountSuspended"));
    await catalog.remove("banking/TransferFailed");
    const problems = await problemsOf(catalog.root);
    const lockProblems = problems.filter((p) => p.code === "released-version-deleted");
    expect(lockProblems.map((p) => p.file)).toEqual(gone.map((file) => `schemas/${file}`));
    expect(problems.filter((p) => p.code !== "released-version-deleted").map((p) => p.code)).toEqual(["id-mismatch", "title-mismatch"]);
  });

  it("reports a corrupt lock file as a typed error", async () => {
    const { root } = await banking();
    await writeFile(join(root, LOCK_FILE_NAME), JSON.stringify({ lockVersion: 2, released: { [v1]: "md5-x" } }));
    await expect(readLock(root)).rejects.toSatisfy(isLockFileError);
    const problems = await problemsOf(root);
    expect(problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["invalid-lock-file", "schemas/strata.lock.json", "/lockVersion"],
      ["invalid-lock-file", `schemas/strata.lock.json`, `/released/banking~1MoneyDeposited~1v1.json`],
    ]);
  });
});
