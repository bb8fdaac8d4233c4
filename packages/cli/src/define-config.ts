/**
 * `defineConfig` for `strata.config.ts`: the projection engine's options (database, registry,
 * projections, subscriptions, tuning), typed against the application's registry.
 */
import type { EventRegistry, EventShape, ProjectionEngineOptions } from "@strata/runtime";

/** What `strata.config.ts` exports: the options of `createProjectionEngine`. */
export type StrataConfig<R extends EventRegistry<EventShape>> = ProjectionEngineOptions<R>;

/**
 * Types a `strata.config.ts` (returns it unchanged): a projection handling a type the registry does
 * not have, or a misspelt option, fails to compile.
 *
 * @example
 * ```ts
 * import { defineConfig } from "@strata/cli";
 * export default defineConfig({ database: { kind: "pglite", dataDir: ".strata-data" }, registry: shopRegistry, projections: [customerList] });
 * ```
 */
export function defineConfig<R extends EventRegistry<EventShape>>(config: StrataConfig<R>): StrataConfig<R> {
  return config;
}
