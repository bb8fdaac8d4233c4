/**
 * `@strata/runtime/testing`: fixtures and Given/When/Then helpers for tests.
 *
 * @packageDocumentation
 */
export {};
