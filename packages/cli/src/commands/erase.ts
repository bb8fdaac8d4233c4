/**
 * `strata erase <subject-id> --reason <text> [--requested-by <who>]`: crypto-shreds one data
 * subject. Deletes their data key, deletes their snapshots, appends `$strata.SubjectErased` for
 * projections to scrub read models, and writes an audit row with a keyed hash of the id.
 */
import { userInfo } from "node:os";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { DATABASE_HELP, DATABASE_OPTIONS, openFromOptions, reportError } from "./personal-data-cli.js";

const HELP = `Usage: strata erase <subject-id> --reason <text> [--requested-by <who>] [database options]

Erases a data subject's personal data by deleting their data key: every field encrypted for
them reads back as {"$erased": true}. Their snapshots are deleted, projections are told through
a $strata.SubjectErased event, and an audit row records a keyed hash of the id, the time, the
reason and the requester. Running it again reports "already-erased"; an id without personal
data reports "unknown-subject". Neither the reason nor the requester may contain personal data.

Options:
  --reason <text>       Why (for example "GDPR Art. 17, ticket 812"). Required.
  --requested-by <who>  Who asked (default: cli:<your user name>).
${DATABASE_HELP}
  STRATA_ERASURE_AUDIT_KEY         base64, at least 32 random bytes: the audit hash key.

Exit codes: 0 done (erased, already erased or unknown subject: see the output), 1 the database,
a key or the configuration failed, 2 usage error.
`;

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [subjectId, ...extra] = positionals;
  const reason = values["reason"];
  if (subjectId === undefined || extra.length > 0 || typeof reason !== "string") {
    io.stderr(`strata erase: pass exactly one subject id and --reason.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const requestedBy = typeof values["requested-by"] === "string" ? values["requested-by"] : `cli:${userInfo().username}`;
  const opened = await openFromOptions("erase", HELP, values, io, { auditKey: true });
  if (typeof opened === "number") return opened;
  try {
    const result = await opened.erase(subjectId, { reason, requestedBy });
    // The subject id is not echoed: output ends up in terminals' scrollback and CI logs.
    if (values["json"] === true) io.stdout(`${JSON.stringify(result)}\n`);
    else if (result.status === "erased") io.stdout(`erase: erased (audit #${result.auditId}, ${result.snapshotsDeleted} snapshot(s) deleted, event ${result.eventId ?? "-"}).\n`);
    else if (result.status === "already-erased") io.stdout(`erase: already erased earlier; nothing left to do (audit #${result.auditId}).\n`);
    else io.stdout(`erase: no personal data is stored for this subject id (unknown or mistyped); nothing erased (audit #${result.auditId}).\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    return reportError("erase", error, io);
  } finally {
    await opened.close();
  }
}

/** The `erase` command. */
export const command: Command = {
  name: "erase",
  summary: "Erase a data subject's personal data (crypto-shredding) with an audit record (--reason).",
  help: HELP,
  options: { ...DATABASE_OPTIONS, reason: { type: "string" }, "requested-by": { type: "string" } },
  allowPositionals: true,
  run,
};
