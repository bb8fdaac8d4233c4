import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import type { DependencyRanges } from "../emit/emit-package-scaffold.js";
import { DEFAULT_DEPENDENCY_RANGES } from "./codegen-options.js";
import { DEFAULT_STAGES } from "./run-codegen.js";
import { runCodegenWith } from "./run-codegen-with.js";
import { BANKING_LIKE } from "./testing/banking-like-fixture.js";
import { fixtureCatalog } from "./testing/catalog-fixture.js";
import { planAllHandWritten } from "./testing/all-hand-written-plan.js";
import { makeTempRepo, snapshotTree } from "./testing/temp-repo.js";

const PKG = "packages/banking-events";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempRepo(): Promise<string> {
  const repo = await makeTempRepo();
  cleanups.push(repo.remove);
  return repo.root;
}

function generate(root: string, dependencyRanges: DependencyRanges | undefined, check = false) {
  const stages = { ...DEFAULT_STAGES, loadCatalog: async () => fixtureCatalog(root, [BANKING_LIKE]), planUpcasters: planAllHandWritten };
  return runCodegenWith(stages, { repoRoot: root, check, ...(dependencyRanges === undefined ? {} : { dependencyRanges }) });
}

async function manifestOf(root: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(root, PKG, "package.json"), "utf8")) as Record<string, unknown>;
}

describe("CodegenOptions.dependencyRanges", () => {
  it("defaults to the monorepo layout: workspace ranges and the shared tooling configs", async () => {
    const root = await tempRepo();
    await generate(root, undefined);
    expect((await manifestOf(root))["dependencies"]).toEqual({ "@strata/runtime": "workspace:^", zod: "catalog:" });
    const files = [...(await snapshotTree(path.join(root, PKG))).keys()];
    expect(files).toEqual(expect.arrayContaining(["tsconfig.build.json", "vitest.config.ts", "eslint.config.js"]));
    expect(await generate(root, DEFAULT_DEPENDENCY_RANGES, true)).toMatchObject({ drift: [] });
  });

  it("with a real runtime range writes a self-contained package that --check then finds up to date", async () => {
    const root = await tempRepo();
    await generate(root, { runtime: "^0.4.0" });
    const tree = await snapshotTree(path.join(root, PKG));
    expect(tree.has("vitest.config.ts") || tree.has("eslint.config.js")).toBe(false);
    expect(tree.has("tsconfig.build.json")).toBe(true);
    for (const [file, content] of tree) {
      if (file.startsWith("src/")) continue;
      expect(content, file).not.toMatch(/workspace:|catalog:|@strata\/(tsconfig|source|vitest-config|eslint-config)/);
    }
    expect((await manifestOf(root))["dependencies"]).toMatchObject({ "@strata/runtime": "^0.4.0" });
    expect((await generate(root, { runtime: "^0.4.0" }, true)).drift).toEqual([]);
  });

  it("a new runtime range updates only the owned dependency; the maintainers' fields stay", async () => {
    const root = await tempRepo();
    await generate(root, { runtime: "^0.4.0" });
    const file = path.join(root, PKG, "package.json");
    const edited = { ...(await manifestOf(root)), version: "2.0.0", scripts: { build: "tsc -p tsconfig.build.json", test: "node --test" } };
    await writeFile(file, JSON.stringify(edited, null, 2));
    expect((await generate(root, { runtime: "^0.5.0" }, true)).drift).toEqual([{ path: `${PKG}/package.json`, kind: "changed" }]);
    await generate(root, { runtime: "^0.5.0" });
    const merged = await manifestOf(root);
    expect(merged).toMatchObject({ version: "2.0.0", scripts: edited.scripts });
    expect((merged["dependencies"] as Record<string, string>)["@strata/runtime"]).toBe("^0.5.0");
  });
});
