import { writeFile } from "node:fs/promises";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { printZodExpression } from "../emit/zod/emit-zod.js";
import type { CatalogModel } from "../model/catalog-model.js";
import type { CodegenOptions } from "./codegen-options.js";
import { DEFAULT_STAGES } from "./run-codegen.js";
import { runCodegenWith } from "./run-codegen-with.js";
import { planAllHandWritten } from "./testing/all-hand-written-plan.js";
import { BANKING_LIKE } from "./testing/banking-like-fixture.js";
import { fixtureCatalog, writeFixtureSchemas } from "./testing/catalog-fixture.js";
import { makeTempRepo } from "./testing/temp-repo.js";
import { watchCodegenWith } from "./watch-codegen.js";
import type { WatchRun } from "./watch-codegen.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Resolves once `runs` has `count` entries. */
function waitForRuns(runs: WatchRun[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (runs.length >= count) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > 10_000) {
        clearInterval(poll);
        reject(new Error(`expected ${count} runs, saw ${runs.length}`));
      }
    }, 20);
  });
}

describe("watchCodegenWith", () => {
  it("runs at once, again after a schema changes, reports failures and keeps watching until aborted", async () => {
    const repo = await makeTempRepo();
    cleanups.push(repo.remove);
    const catalog: CatalogModel = fixtureCatalog(repo.root, [BANKING_LIKE]);
    await writeFixtureSchemas(catalog);
    let failNext = false;
    const run = (options: CodegenOptions) =>
      runCodegenWith(
        {
          loadCatalog: async () => {
            if (failNext) {
              failNext = false;
              throw new Error("broken schema");
            }
            return catalog;
          },
          printZod: printZodExpression,
          planUpcasters: planAllHandWritten,
          scaffoldUpcaster: DEFAULT_STAGES.scaffoldUpcaster,
        },
        options,
      );
    const runs: WatchRun[] = [];
    const controller = new AbortController();
    const watching = watchCodegenWith(run, { repoRoot: repo.root, signal: controller.signal, debounceMs: 50, onRun: (r) => runs.push(r) });

    await waitForRuns(runs, 1);
    expect(runs[0]?.ok).toBe(true);

    failNext = true;
    await writeFile(path.join(catalog.root, "banking/MoneyDeposited/v1.json"), "{}\n");
    await waitForRuns(runs, 2);
    expect(runs[1]).toMatchObject({ ok: false });

    await writeFile(path.join(catalog.root, "banking/MoneyDeposited/v2.json"), "{}\n");
    await waitForRuns(runs, 3);
    expect(runs[2]?.ok).toBe(true);

    controller.abort();
    await watching;
    const count = runs.length;
    await writeFile(path.join(catalog.root, "banking/MoneyDeposited/v3.json"), "{}\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs.length).toBe(count);
  });
});
