import { defineStrataConfig } from "@strata/vitest-config";

export default defineStrataConfig();
