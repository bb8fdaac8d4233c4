// Shared Vitest settings for every package.
//
// - Workspace packages resolve through the "@strata/source" export condition, so tests run
//   against sources without a build step.
// - Every run also writes a JSON report to test-results/vitest.json; CI sums those files into
//   its closing "N passed, N failed" line (it does not parse Vitest's console summary).
// - `*.test-d.ts` files are type tests, checked by `tsc` through Vitest's typecheck mode.
// - STRATA_TEST_TIER=unit (or int, e2e) runs only the test files of that tier, without type
//   tests: CI's short run on the second supported Node.js major.
import { defineConfig, mergeConfig } from "vitest/config";

/** @param {import("vitest/config").UserConfig} [overrides] */
export function defineStrataConfig(overrides = {}) {
  const config = mergeConfig(
    defineConfig({
      resolve: { conditions: ["@strata/source"] },
      ssr: { resolve: { conditions: ["@strata/source"] } },
      test: {
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        reporters: ["default", "json"],
        outputFile: { json: "test-results/vitest.json" },
        typecheck: {
          enabled: true,
          include: ["src/**/*.test-d.ts", "test/**/*.test-d.ts"],
          tsconfig: "./tsconfig.json",
        },
        passWithNoTests: true,
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    }),
    overrides,
  );
  const tier = process.env["STRATA_TEST_TIER"];
  // Replaced after the merge: mergeConfig would concatenate the include lists.
  if (tier) config.test = { ...config.test, include: [`src/**/*.${tier}.test.ts`, `test/**/*.${tier}.test.ts`], typecheck: { ...config.test?.typecheck, enabled: false } };
  return config;
}
