import { defineStrataConfig } from "@strata/vitest-config";

// Broker and CLI end-to-end tests start servers' clients, PGlite instances or CLI processes: a few
// seconds each on a quiet machine, ten times that when CI shares the 2 cores with other suites.
// The timeout guards against hangs; no test asserts a duration.
export default defineStrataConfig({ test: { testTimeout: 90_000 } });
