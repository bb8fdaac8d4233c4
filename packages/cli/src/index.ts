/**
 * `@strata/cli`: the `strata` command as a library, for tools that want to drive it in-process.
 *
 * @packageDocumentation
 */
export { main } from "./main.js";
