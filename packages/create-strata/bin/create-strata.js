#!/usr/bin/env node
// `npm create strata@latest my-app` (also `pnpm create strata my-app`, `yarn create strata my-app`)
// runs this bin: it is `strata init`, so the scaffold, its options and its messages are the CLI's.
import { main } from "@strata/cli";

process.exitCode = await main(["init", ...process.argv.slice(2)]);
