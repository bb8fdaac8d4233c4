/**
 * `pnpm tour`: the scripted tour against a running app (`--url`, default
 * http://127.0.0.1:3000, logging in with the users of `--auth-file`), or `--self` to start an
 * in-memory app, tour it and stop it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readDevUsers } from "./auth/auth-settings.js";
import { startServer } from "./server.js";
import { runTour } from "./tour/run-tour.js";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    self: { type: "boolean", default: false },
    /** The development users file of the app under tour (written beside its data on first start). */
    "auth-file": { type: "string", default: ".strata-data/banking.auth.json" },
  },
});

try {
  if (values.self) {
    const server = await startServer({ database: { kind: "pglite" }, port: 0 });
    try {
      const transfers = server.runtime.transfers;
      await runTour(server.url, { users: server.runtime.services.auth.devUsers ?? [], transferProcess: { crash: () => transfers.stop(), restart: () => transfers.start() } });
    } finally {
      await server.close();
    }
  } else {
    const users = await readDevUsers(values["auth-file"]);
    if (users === undefined) throw new Error(`no users file at ${values["auth-file"]}: start the app with \`pnpm start\` first (it writes one), or pass --auth-file, or use --self`);
    await runTour(values.url, { users });
  }
} catch (error) {
  console.error(`\nThe tour stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
