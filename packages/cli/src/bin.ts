// Development entry used by `pnpm strata …` inside the monorepo (runs the sources via tsx).
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
