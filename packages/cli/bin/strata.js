#!/usr/bin/env node
// Published entry: runs the compiled CLI. Inside the monorepo use `pnpm strata …`, which runs
// the TypeScript sources directly.
import { main } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2));
