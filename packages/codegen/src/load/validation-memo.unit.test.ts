/**
 * The validation memo: loading a catalog records the documents that passed (schema files,
 * context.json, the lock file), a second load with the same memo gives the same model, failing
 * documents are never recorded (their problems come back every time), and a changed document is
 * validated again. `ValidationMemoFile` keeps the memo across runs.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contextConfig, eventSchema, tempCatalog, type TempCatalog } from "../../test/fixtures/catalogs/write-catalog.js";
import { isCatalogError } from "../errors.js";
import { ValidationMemoFile } from "../check/validation-memo-file.js";
import { loadCatalog } from "./load-catalog.js";
import type { ValidationMemo } from "./validation-memo.js";

const temp: TempCatalog[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const catalog of temp) await catalog.cleanup();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

class RecordingMemo implements ValidationMemo {
  readonly keys = new Set<string>();
  asked = 0;
  has(key: string): boolean {
    this.asked += 1;
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
  }
}

async function problemsOf(root: string, memo: ValidationMemo): Promise<string[]> {
  try {
    await loadCatalog({ root, validationMemo: memo });
    return [];
  } catch (error) {
    if (!isCatalogError(error)) throw error;
    return error.problems.map((p) => `${p.code} ${p.file}#${p.pointer}`);
  }
}

describe("loadCatalog with a validation memo", () => {
  it("records every document that passed and loads the same model from the memo", async () => {
    const catalog = await tempCatalog({}, { withBanking: true });
    temp.push(catalog);
    const memo = new RecordingMemo();
    const first = await loadCatalog({ root: catalog.root, validationMemo: memo });
    // Every schema file, the context.json and the lock file.
    expect(memo.keys.size).toBeGreaterThan(first.contexts[0]?.events.length ?? 0);
    const recorded = memo.keys.size;
    const second = await loadCatalog({ root: catalog.root, validationMemo: memo });
    expect(second).toEqual(first);
    expect(memo.keys.size).toBe(recorded);
    expect(await loadCatalog({ root: catalog.root })).toEqual(first);
  });

  it("never records a failing document, and validates a changed one again", async () => {
    const catalog = await tempCatalog({
      "sales/context.json": contextConfig("sales"),
      "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, { properties: { id: { type: "strin" } } }),
    });
    temp.push(catalog);
    const memo = new RecordingMemo();
    const expected = ["invalid-schema schemas/sales/Ordered/v1.json#/properties/id/type"];
    expect(await problemsOf(catalog.root, memo)).toEqual(expect.arrayContaining(expected));
    expect(await problemsOf(catalog.root, memo)).toEqual(expect.arrayContaining(expected));
    await catalog.write({ "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, { properties: { id: { type: "string" } } }) });
    expect(await problemsOf(catalog.root, memo)).toEqual([]);
    // The fix passes and is recorded; breaking the file again is caught again.
    await catalog.write({ "sales/Ordered/v1.json": eventSchema("sales", "Ordered", 1, { properties: { id: { type: "strin" } } }) });
    expect(await problemsOf(catalog.root, memo)).toEqual(expect.arrayContaining(expected));
    await catalog.write({ "sales/context.json": { ...contextConfig("sales"), compatibility: "SIDEWAYS" } });
    expect(await problemsOf(catalog.root, memo)).toEqual(expect.arrayContaining(["invalid-context-config schemas/sales/context.json#/compatibility"]));
  });

  it("keeps the memo on disk between runs (ValidationMemoFile)", async () => {
    const catalog = await tempCatalog({}, { withBanking: true });
    temp.push(catalog);
    const repo = await mkdtemp(path.join(tmpdir(), "strata-memo-"));
    dirs.push(repo);
    const memo = await ValidationMemoFile.open(repo);
    const model = await loadCatalog({ root: catalog.root, validationMemo: memo });
    await memo.save();
    const reopened = await ValidationMemoFile.open(repo);
    const recording = new RecordingMemo();
    const spy: ValidationMemo = {
      has: (key) => {
        recording.has(key);
        return reopened.has(key);
      },
      add: (key) => recording.add(key),
    };
    expect(await loadCatalog({ root: catalog.root, validationMemo: spy })).toEqual(model);
    expect(recording.asked).toBeGreaterThan(0);
    expect(recording.keys.size).toBe(0); // everything was known: nothing new to record
  });
});
