import type { UserConfig } from "vitest/config";

/** Strata's shared Vitest settings, merged with package-specific overrides. */
export declare function defineStrataConfig(overrides?: UserConfig): UserConfig;
