#!/usr/bin/env node
// Published entry: runs the compiled CLI. Inside the monorepo use `pnpm strata …`, which runs
// the TypeScript sources directly.
import module from "node:module";

// Node 22.1+ keeps the compiled code of the modules it loads on disk (in the OS temp folder), so
// later runs skip compiling them. Older Nodes lack the function and run as before;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

const { main } = await import("../dist/main.js");
process.exitCode = await main(process.argv.slice(2));
