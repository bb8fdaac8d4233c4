import { defineStrataConfig } from "@strata/vitest-config";

export default defineStrataConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
