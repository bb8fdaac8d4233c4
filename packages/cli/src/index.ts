/**
 * `@strata/cli`: the `strata` command as a library, for tools that want to drive it in-process,
 * and `defineConfig` for an application's `strata.config.ts`.
 *
 * @packageDocumentation
 */
export { main } from "./main.js";
export { defineConfig } from "./define-config.js";
export type { StrataConfig } from "./define-config.js";
export { createProject, InitError } from "./init/create-project.js";
export type { CreateProjectOptions } from "./init/create-project.js";
export { runInit } from "./commands/init.js";
export { detectPackageManager, runScript, strataCommand } from "./init/package-manager.js";
export type { PackageManager } from "./init/package-manager.js";
