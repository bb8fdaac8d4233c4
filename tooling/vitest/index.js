// Shared Vitest settings for every package.
//
// - Workspace packages resolve through the "@strata/source" export condition, so tests run
//   against sources without a build step.
// - Every run also writes a JSON report to test-results/vitest.json; CI sums those files into
//   its closing "N passed, N failed" line (it does not parse Vitest's console summary).
// - `*.test-d.ts` files are type tests, checked by `tsc` through Vitest's typecheck mode.
import { defineConfig, mergeConfig } from "vitest/config";

/** @param {import("vitest/config").UserConfig} [overrides] */
export function defineStrataConfig(overrides = {}) {
  return mergeConfig(
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
}
