/**
 * `strata erase <subject-id> --reason <text> [--requested-by <who>] [--wait [--timeout <s>]]`:
 * crypto-shreds one data subject. Deletes their data key, deletes their snapshots, appends
 * `$strata.SubjectErased` for projections to scrub read models, and reports each place as done,
 * pending or failed; the audit row (a keyed hash of the id) records completion only when all are done.
 */
import { userInfo } from "node:os";
import path from "node:path";

import type { DatabaseConfig } from "@strata/runtime";

import { AppConfigError, configuredHandlers, findAppConfig, loadAppConfig } from "./app-config.js";
import type { ConfiguredHandler } from "./app-config.js";
import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { DATABASE_HELP, DATABASE_OPTIONS, openFromOptions, reportError } from "./personal-data-cli.js";

const HELP = `Usage: strata erase <subject-id> --reason <text> [--requested-by <who>] [--wait [--timeout <s>]] [database options]

Erases a data subject's personal data by deleting their data key: every field encrypted for
them reads back as {"$erased": true}. Their snapshots are deleted, projections are told through
a $strata.SubjectErased event, and an audit row records a keyed hash of the id, the time, the
reason and the requester. The erasure is "erased" only when every place is done: the data key,
the snapshots, and each projection and subscription (past the erasure event); until then it is
"pending" or "failed" and lists what is left, and the audit row is not complete. A pending
erasure completes by itself once its projections catch up; running the command again checks
again. After completion it reports "already-erased"; an id without personal data reports
"unknown-subject". Neither the reason nor the requester may contain personal data.

Options:
  --reason <text>       Why (for example "GDPR Art. 17, ticket 812"). Required.
  --requested-by <who>  Who asked (default: cli:<your user name>).
  --wait                Wait until every place is done (or the timeout passes).
  --timeout <seconds>   How long --wait waits (default 60).
  --config <file>       The application's config (default: strata.config.ts, .mts, .js or .mjs
                        in the current directory), used when no --database-url or --data-dir is
                        given: its database and schema, and its projections and subscriptions:
                        those that handle $strata.SubjectErased are the places to wait for (the
                        others keep no personal data in clear). Without a config, every
                        projection and subscription the store has seen is a place.
${DATABASE_HELP}
  STRATA_ERASURE_AUDIT_KEY         base64, at least 32 random bytes: the audit hash key.

Exit codes: 0 done (erased, already erased or unknown subject: see the output), 1 the database,
a key or the configuration failed, 2 usage error, 3 the key is gone but a place is still pending
or failed (see the output; run again, or with --wait, once it is fixed).
`;

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [subjectId, ...extra] = positionals;
  const reason = values["reason"];
  if (subjectId === undefined || extra.length > 0 || typeof reason !== "string") {
    io.stderr(`strata erase: pass exactly one subject id and --reason.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const requestedBy = typeof values["requested-by"] === "string" ? values["requested-by"] : `cli:${userInfo().username}`;
  const timeoutText = values["timeout"];
  const timeoutMs = typeof timeoutText === "string" ? Number(timeoutText) * 1000 : undefined;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    io.stderr(`strata erase: --timeout must be a number of seconds.\n`);
    return EXIT_CODES.usage;
  }
  const app = await applicationConfig(values, io);
  if (typeof app === "number") return app;
  const opened = await openFromOptions("erase", HELP, values, io, { auditKey: true, ...app });
  if (typeof opened === "number") return opened;
  try {
    const erased = await opened.erase(subjectId, { reason, requestedBy });
    const waited = values["wait"] === true && (erased.status === "pending" || erased.status === "failed") ? await opened.waitForErasure(subjectId, { timeoutMs: timeoutMs ?? 60_000 }) : undefined;
    const result = waited ?? erased;
    // The subject id is not echoed: output ends up in terminals' scrollback and CI logs.
    if (values["json"] === true) io.stdout(`${JSON.stringify(result)}\n`);
    else if (result.status === "erased") io.stdout(`erase: erased; every place is done (audit #${result.auditId}, ${result.snapshotsDeleted} snapshot(s) deleted).\n`);
    else if (result.status === "already-erased") io.stdout(`erase: already erased earlier; nothing left to do (audit #${result.auditId}).\n`);
    else if (result.status === "unknown-subject") io.stdout(`erase: no personal data is stored for this subject id (unknown or mistyped); nothing erased (audit #${result.auditId}).\n`);
    else {
      const left = result.places.filter((place) => place.status !== "done");
      io.stdout(`erase: ${result.status}; the data key is deleted, but not every place is done (audit #${result.auditId}):\n`);
      for (const place of left) io.stdout(`  ${place.place}: ${place.status}${place.detail === undefined ? "" : ` (${place.detail})`}\n`);
    }
    return result.status === "pending" || result.status === "failed" ? EXIT_CODES.incomplete : EXIT_CODES.ok;
  } catch (error) {
    return reportError("erase", error, io);
  } finally {
    await opened.close();
  }
}

/** What the application's config gives the erasure. */
interface ApplicationConfig {
  readonly database?: DatabaseConfig | undefined;
  readonly schema?: string | undefined;
  readonly erasureHandlers?: readonly ConfiguredHandler[] | undefined;
}

/**
 * The application's database, schema and projections, from `--config` or the default config,
 * when no database option is given (the config then names the database: reading it as well as
 * opening a --data-dir could open one PGlite directory twice). A `--config` that does not load
 * is a usage error; a default one that does not load is reported, and the erasure falls back to
 * DATABASE_URL and the safe side (every projection the store lists is a place).
 */
async function applicationConfig(values: OptionValues, io: CommandIo): Promise<ApplicationConfig | ExitCode> {
  const given = typeof values["config"] === "string" ? values["config"] : undefined;
  if (typeof values["database-url"] === "string" || typeof values["data-dir"] === "string") {
    if (given === undefined) return {};
    io.stderr(`strata erase: pass either --config (the application's database and projections) or --database-url/--data-dir, not both.\n`);
    return EXIT_CODES.usage;
  }
  let file: string | undefined;
  try {
    file = await findAppConfig(io.cwd, given);
    if (file === undefined) return {};
    const { config } = await loadAppConfig(io.cwd, file);
    const schema = typeof config["schema"] === "string" ? config["schema"] : undefined;
    return { database: config["database"] as DatabaseConfig, schema, erasureHandlers: configuredHandlers(config) };
  } catch (error) {
    // The error's message may quote the application's code or data: name its class only.
    const why = error instanceof AppConfigError ? error.message : `cannot load ${file === undefined ? given : path.relative(io.cwd, file)} (${error instanceof Error ? error.name : "error"})`;
    if (given !== undefined) {
      io.stderr(`strata erase: ${why}\n`);
      return EXIT_CODES.usage;
    }
    io.stderr(`strata erase: ${why}; using DATABASE_URL, and every projection and subscription the store lists counts as a place.\n`);
    return {};
  }
}

/** The `erase` command. */
export const command: Command = {
  name: "erase",
  summary: "Erase a data subject's personal data (crypto-shredding) with an audit record (--reason).",
  help: HELP,
  options: { ...DATABASE_OPTIONS, reason: { type: "string" }, "requested-by": { type: "string" }, wait: { type: "boolean" }, timeout: { type: "string" }, config: { type: "string" } },
  allowPositionals: true,
  run,
};
