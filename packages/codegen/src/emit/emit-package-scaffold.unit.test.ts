import { readFileSync } from "node:fs";
import path from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { ContextModel } from "../model/catalog-model.js";
import { DEFAULT_DEPENDENCY_RANGES } from "../pipeline/codegen-options.js";
import { packageScaffold, publishedExports } from "./emit-package-scaffold.js";
import type { DependencyRanges } from "./emit-package-scaffold.js";
import type { PackageFile } from "./package-file.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const context: ContextModel = {
  name: "banking",
  config: { package: "@strata/banking-events", directory: "packages/banking-events", compatibility: "BACKWARD" },
  events: [],
};

function byPath(files: readonly PackageFile[]): Map<string, PackageFile> {
  return new Map(files.map((file) => [file.path, file]));
}

function packageJson(files: readonly PackageFile[]): Record<string, unknown> {
  const file = byPath(files).get("package.json");
  if (file?.kind !== "package-json") throw new Error("no package.json in the scaffold");
  return file.initial as Record<string, unknown>;
}

function text(files: readonly PackageFile[], name: string): string {
  const file = byPath(files).get(name);
  if (file?.kind !== "create-once") throw new Error(`no create-once ${name} in the scaffold`);
  return typeof file.content === "string" ? file.content : file.content();
}

/** tsconfig files are JSON with `//` comments. */
function parseJsonc(source: string): Record<string, unknown> {
  return JSON.parse(source.replace(/^\s*\/\/.*$/gm, "")) as Record<string, unknown>;
}

/** The monorepo's pnpm catalog, `name: range` lines under `catalog:`. */
function pnpmCatalog(): Record<string, string> {
  const yaml = readFileSync(path.join(REPO, "pnpm-workspace.yaml"), "utf8");
  const section = /^catalog:\n((?:[ \t]+.*\n?)*)/m.exec(yaml)?.[1] ?? "";
  return Object.fromEntries([...section.matchAll(/^\s+"?([^":]+)"?:\s*(\S+)/gm)].map((match) => [match[1], match[2]]));
}

const PNPM_PROTOCOL = /"(workspace|catalog):/;

describe("packageScaffold inside the Strata monorepo", () => {
  const files = packageScaffold(context, DEFAULT_DEPENDENCY_RANGES);

  it("produces the committed @strata/banking-events manifest, apart from the fields added by hand", () => {
    const committed = JSON.parse(readFileSync(path.join(REPO, "packages/banking-events/package.json"), "utf8")) as Record<string, unknown>;
    const { repository: _repository, keywords: _keywords, ...scaffolded } = committed;
    expect(packageJson(files)).toEqual(scaffolded);
  });

  it("uses workspace dependencies, the source condition and the shared tooling configs", () => {
    const manifest = packageJson(files);
    expect(manifest["dependencies"]).toEqual({ "@strata/runtime": "workspace:^", zod: "catalog:" });
    expect(manifest["exports"]).toEqual({ ".": { "@strata/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" } });
    expect(manifest["publishConfig"]).toEqual({ access: "public", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } });
    expect(parseJsonc(text(files, "tsconfig.json"))["extends"]).toBe("@strata/tsconfig/base.json");
    expect(text(files, "vitest.config.ts")).toContain("@strata/vitest-config");
    expect(text(files, "eslint.config.js")).toContain("@strata/eslint-config");
  });

  it("creates the same tsconfig.build.json as the committed package's", () => {
    expect(text(files, "tsconfig.build.json")).toBe(readFileSync(path.join(REPO, "packages/banking-events/tsconfig.build.json"), "utf8"));
  });
});

describe("packageScaffold outside the monorepo", () => {
  const files = packageScaffold(context, { runtime: "^0.4.0" });
  const catalog = pnpmCatalog();

  it("has no pnpm-only range, and real ranges for runtime, zod, typescript and @types/node", () => {
    const manifest = packageJson(files);
    expect(JSON.stringify(manifest)).not.toMatch(PNPM_PROTOCOL);
    // Run from the monorepo's sources, codegen's own manifest says `catalog:`: the catalog's ranges apply.
    expect(manifest["dependencies"]).toEqual({ "@strata/runtime": "^0.4.0", zod: catalog["zod"] });
    expect(manifest["devDependencies"]).toEqual({ "@types/node": catalog["@types/node"], typescript: catalog["typescript"] });
  });

  it("builds with tsc into dist/, exporting only dist/ and publishing publicly", () => {
    const manifest = packageJson(files);
    const entry = { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } };
    expect(manifest["exports"]).toEqual(entry);
    expect(manifest["publishConfig"]).toEqual({ access: "public", exports: entry });
    expect(manifest["files"]).toEqual(["dist", "README.md", "CHANGELOG.md"]);
    expect((manifest["scripts"] as Record<string, string>)["build"]).toMatch(/rmSync\('dist'.*&& tsc -p tsconfig\.build\.json$/);
    const build = parseJsonc(text(files, "tsconfig.build.json"));
    expect(build).toMatchObject({ extends: "./tsconfig.json", compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", declaration: true } });
  });

  it("is self-contained: no file refers to a @strata package other than the runtime", () => {
    expect([...byPath(files).keys()].sort()).toEqual(["package.json", "src/index.ts", "tsconfig.build.json", "tsconfig.json"]);
    for (const name of ["tsconfig.json", "tsconfig.build.json"]) expect(text(files, name)).not.toContain("@strata/");
    const tsconfig = parseJsonc(text(files, "tsconfig.json"));
    expect(tsconfig["extends"]).toBeUndefined();
    expect(tsconfig["compilerOptions"]).toMatchObject({ strict: true, module: "NodeNext", exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true });
    const scripts = Object.values(packageJson(files)["scripts"] as Record<string, string>).join(" ");
    expect(scripts).not.toMatch(/vitest|eslint/);
  });

  it("keeps an explicit zod range", () => {
    expect(packageJson(packageScaffold(context, { runtime: "^0.4.0", zod: "^4.2.0" }))["dependencies"]).toEqual({
      "@strata/runtime": "^0.4.0",
      zod: "^4.2.0",
    });
  });

  it("never writes a pnpm protocol for any non-workspace runtime range", () => {
    const range = fc.tuple(fc.constantFrom("^", "~", ">=", ""), fc.nat(20), fc.nat(20), fc.nat(20)).map(([op, a, b, c]) => `${op}${a}.${b}.${c}`);
    fc.assert(
      fc.property(range, (runtime) => {
        const ranges: DependencyRanges = { runtime };
        const manifest = packageJson(packageScaffold(context, ranges));
        expect(JSON.stringify(manifest)).not.toMatch(PNPM_PROTOCOL);
        expect(JSON.stringify(manifest)).not.toContain("@strata/source");
        expect((manifest["dependencies"] as Record<string, string>)["@strata/runtime"]).toBe(runtime);
      }),
    );
  });
});

describe("publishedExports", () => {
  it("drops the source condition at every level and keeps everything else in order", () => {
    const exports = {
      ".": { "@strata/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./testing": { node: { "@strata/source": "./src/testing.ts", default: "./dist/testing.js" } },
      "./package.json": "./package.json",
    };
    const published = publishedExports(exports);
    expect(published).toEqual({
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./testing": { node: { default: "./dist/testing.js" } },
      "./package.json": "./package.json",
    });
    expect(Object.keys(published["."] as object)).toEqual(["types", "default"]);
    expect(exports["."]["@strata/source"]).toBe("./src/index.ts");
  });
});
