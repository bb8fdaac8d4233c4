/**
 * `@strata/runtime/testing/vitest`: the helpers that need Vitest (`describe`, `beforeAll`), kept
 * apart from `@strata/runtime/testing` so that the rest loads in any test runner, or none.
 *
 * @packageDocumentation
 */
export { describeEachBackend } from "./backends.js";
export type { StoreBackend } from "./backends.js";
