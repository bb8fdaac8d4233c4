import { defineConfig } from "vitest/config";

// The projection spec starts embedded PGlite (a few seconds on a busy machine); the rest runs in memory.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
