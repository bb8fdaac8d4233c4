/**
 * `@strata/runtime/testing` and `@strata/runtime/memory` must load in a project without Vitest
 * (another test runner, a script, an example): walks each entry's import graph through the
 * sources and lists every package it reaches.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)/g;

function packagesReached(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier));
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe("entries that load without vitest", () => {
  it.each(["testing/index.ts", "memory/index.ts"])("%s reaches no vitest", (entry) => {
    const reached = packagesReached(entry);
    expect(reached.size).toBeGreaterThan(0);
    expect([...reached]).not.toContain("vitest");
  });

  it("testing/vitest.ts is where describeEachBackend, and vitest, live", () => {
    expect([...packagesReached("testing/vitest.ts")]).toContain("vitest");
  });
});
