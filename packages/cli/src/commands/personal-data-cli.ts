/**
 * What `strata erase`, `strata export-subject` and `strata keys` share: the database options,
 * the KEK and audit key from the environment, and how their errors become exit codes.
 */
import { createPersonalDataStore, defineRegistry, isStrataError, LocalKekProvider } from "@strata/runtime";
import type { DatabaseConfig, ErasureHandler, PersonalDataStore } from "@strata/runtime";

import { EXIT_CODES } from "./command.js";
import type { CommandIo, ExitCode, OptionValues } from "./command.js";

/** `parseArgs` options of the database, shared by the personal-data commands. */
export const DATABASE_OPTIONS = {
  "database-url": { type: "string" },
  "data-dir": { type: "string" },
  schema: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Help lines of {@link DATABASE_OPTIONS} and of the environment the commands read. */
export const DATABASE_HELP = `  --database-url <url>  PostgreSQL connection string (default: $DATABASE_URL).
  --data-dir <dir>      Embedded PGlite data directory, when no server is used.
  --schema <name>       Postgres schema of the store (default: strata).
  --json                Print the result as JSON.
  -h, --help            Show this help.

Environment:
  STRATA_KEKS / STRATA_KEKS_FILE   the key-encryption keys (see https://github.com/strata-dev/strata/blob/main/docs/crypto-shredding.md).`;

// The commands read no events through the application's registry: export and rotation read the
// key table and raw envelopes; erasure appends only Strata's own system event.
const NO_REGISTRY = defineRegistry({ context: "strata-cli", events: {} });

function databaseFrom(values: OptionValues): DatabaseConfig | string {
  const url = typeof values["database-url"] === "string" ? values["database-url"] : process.env["DATABASE_URL"];
  const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
  if (typeof values["database-url"] === "string" && dataDir !== undefined) return "pass either --database-url or --data-dir, not both";
  if (dataDir !== undefined) return { kind: "pglite", dataDir };
  if (url !== undefined && url !== "") return { kind: "postgres", connectionString: url, poolSize: 2 };
  return "no database: pass --database-url <url> (or set DATABASE_URL) or --data-dir <dir>";
}

function auditKeyFromEnv(): Uint8Array | string {
  const text = process.env["STRATA_ERASURE_AUDIT_KEY"];
  if (text === undefined || text === "") return "STRATA_ERASURE_AUDIT_KEY is not set: it must hold at least 32 random bytes, base64 (the key of the audit trail's subject hashes)";
  const key = Buffer.from(text, "base64");
  if (key.byteLength < 32) return `STRATA_ERASURE_AUDIT_KEY decodes to ${key.byteLength} bytes; it must hold at least 32 random bytes, base64`;
  return key;
}

/**
 * Opens the store with crypto-shredding, or reports why it cannot (and returns the exit code).
 * From the application's config (`strata erase` without database options): `database` and
 * `schema` (a `--schema` option still wins), and `erasureHandlers`, its projections and
 * subscriptions, so that only those handling `$strata.SubjectErased` are places of an erasure;
 * without them every one the store's bookkeeping lists is.
 */
export async function openFromOptions(
  name: string,
  help: string,
  values: OptionValues,
  io: CommandIo,
  needs: {
    readonly auditKey: boolean;
    readonly database?: DatabaseConfig | undefined;
    readonly schema?: string | undefined;
    readonly erasureHandlers?: readonly ErasureHandler[] | undefined;
  },
): Promise<PersonalDataStore | ExitCode> {
  const database = needs.database ?? databaseFrom(values);
  if (typeof database === "string") {
    io.stderr(`strata ${name}: ${database}.\n\n${help}`);
    return EXIT_CODES.usage;
  }
  const auditKey = needs.auditKey ? auditKeyFromEnv() : undefined;
  if (typeof auditKey === "string") {
    io.stderr(`strata ${name}: ${auditKey}.\n`);
    return EXIT_CODES.failure;
  }
  try {
    const kek = LocalKekProvider.fromEnv();
    const schema = typeof values["schema"] === "string" ? values["schema"] : needs.schema;
    return await createPersonalDataStore({ registry: NO_REGISTRY, database, schema, kek, auditKey, erasureHandlers: needs.erasureHandlers });
  } catch (error) {
    return reportError(name, error, io);
  }
}

/** Turns a runtime error into a message and an exit code; rethrows anything else (exit 70). */
export function reportError(name: string, error: unknown, io: CommandIo): ExitCode {
  if (isStrataError(error, "INVALID_ARGUMENT")) {
    io.stderr(`strata ${name}: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (isStrataError(error)) {
    // Driver messages only (they name the connection problem); other causes may describe data.
    const cause = error.cause instanceof Error && error.code.startsWith("STORE_") ? ` (${error.cause.message})` : "";
    io.stderr(`strata ${name}: ${error.message}${cause}\n`);
    return EXIT_CODES.failure;
  }
  throw error;
}
