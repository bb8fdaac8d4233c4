/**
 * `@strata/banking-events`: the banking context's events, generated from `schemas/banking/`
 * by `strata codegen`.
 *
 * This file was created once by codegen and is yours to edit. The generated index it re-exports
 * names every export one by one, and gains new events when codegen runs.
 *
 * @packageDocumentation
 */
export * from "./generated/index.gen.js";
