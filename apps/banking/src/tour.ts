/**
 * `pnpm tour`: the scripted tour against a running app (`--url`, default
 * http://127.0.0.1:3000), or `--self` to start an in-memory app, tour it and stop it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { startServer } from "./server.js";
import { runTour } from "./tour/run-tour.js";

const { values } = parseArgs({ options: { url: { type: "string", default: "http://127.0.0.1:3000" }, self: { type: "boolean", default: false } } });

try {
  if (values.self) {
    const server = await startServer({ database: { kind: "pglite" }, port: 0 });
    try {
      await runTour(server.url);
    } finally {
      await server.close();
    }
  } else {
    await runTour(values.url);
  }
} catch (error) {
  console.error(`\nThe tour stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
