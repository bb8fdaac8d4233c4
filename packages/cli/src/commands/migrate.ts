/**
 * `strata migrate [--database-url <url> | --data-dir <dir>] [--schema <name>] [--json]`: brings
 * the event store's Postgres schema to the latest release. Idempotent, and safe when several
 * processes (deploys, replicas) run it at once: the runtime holds an advisory lock for the run.
 */
import { isStrataError, runMigrations } from "@strata/runtime";
import type { DatabaseConfig } from "@strata/runtime";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";

const HELP = `Usage: strata migrate [--database-url <url> | --data-dir <dir>] [--schema <name>] [--json]

Creates or upgrades the event store's tables (streams, events, …) in a Postgres schema.
Running it again does nothing; several processes may run it at once.

Options:
  --database-url <url>  PostgreSQL connection string (default: $DATABASE_URL).
  --data-dir <dir>      Embedded PGlite data directory, when no server is used.
  --schema <name>       Postgres schema of the store (default: strata).
  --json                Print {"schema", "applied"} as JSON.
  -h, --help            Show this help.

Exit codes: 0 up to date, 1 the database is unreachable or a migration failed (nothing of it
was applied), 2 usage error.
`;

function databaseFrom(values: OptionValues): DatabaseConfig | string {
  const url = typeof values["database-url"] === "string" ? values["database-url"] : process.env["DATABASE_URL"];
  const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
  if (typeof values["database-url"] === "string" && dataDir !== undefined) return "pass either --database-url or --data-dir, not both";
  if (dataDir !== undefined) return { kind: "pglite", dataDir };
  if (url !== undefined && url !== "") return { kind: "postgres", connectionString: url, poolSize: 1 };
  return "no database: pass --database-url <url> (or set DATABASE_URL) or --data-dir <dir>";
}

async function run(values: OptionValues, _positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const database = databaseFrom(values);
  if (typeof database === "string") {
    io.stderr(`strata migrate: ${database}.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const schema = typeof values["schema"] === "string" ? values["schema"] : undefined;
  try {
    const report = await runMigrations({ database, schema });
    if (values["json"] === true) io.stdout(`${JSON.stringify(report)}\n`);
    else if (report.applied.length === 0) io.stdout(`migrate: schema "${report.schema}" is up to date.\n`);
    else io.stdout(`migrate: schema "${report.schema}": applied ${report.applied.join(", ")}.\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    if (isStrataError(error, "INVALID_ARGUMENT")) {
      io.stderr(`strata migrate: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    if (isStrataError(error)) {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
      io.stderr(`strata migrate: ${error.message}${cause}\n`);
      return EXIT_CODES.failure;
    }
    throw error;
  }
}

/** The `migrate` command. */
export const command: Command = {
  name: "migrate",
  summary: "Create or upgrade the event store's tables (--database-url, --data-dir, --schema).",
  help: HELP,
  options: {
    "database-url": { type: "string" },
    "data-dir": { type: "string" },
    schema: { type: "string" },
    json: { type: "boolean" },
  },
  run,
};
