/**
 * `strata export-subject <subject-id> [--out <file>]`: every personal-data field of one subject
 * across all events, decrypted, as JSON (GDPR Art. 15 subject access).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { DATABASE_HELP, DATABASE_OPTIONS, openFromOptions, reportError } from "./personal-data-cli.js";

const HELP = `Usage: strata export-subject <subject-id> [--out <file>] [database options]

Writes every personal-data field of the subject, decrypted, with the event id, stream, type,
schema version and time of the event that carries it, as JSON:
  {"subjectId", "exportedAt", "fields": [{"eventId", "streamId", "type", "schemaVersion", "recordedAt", "path", "value"}]}
An erased or unknown subject has no fields. The output IS personal data: write it to a file
(--out, created with mode 600) rather than a shared terminal log.

Options:
  --out <file>          Write the JSON to this file instead of stdout.
${DATABASE_HELP}

Exit codes: 0 written, 1 the database, a key or the configuration failed, 2 usage error.
`;

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [subjectId, ...extra] = positionals;
  if (subjectId === undefined || subjectId === "" || extra.length > 0) {
    io.stderr(`strata export-subject: pass exactly one subject id.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const opened = await openFromOptions("export-subject", HELP, values, io, { auditKey: false });
  if (typeof opened === "number") return opened;
  try {
    const exported = await opened.exportSubject(subjectId);
    const json = `${JSON.stringify(exported, null, 2)}\n`;
    const out = values["out"];
    if (typeof out === "string") {
      await writeFile(path.resolve(io.cwd, out), json, { mode: 0o600 });
      io.stderr(`export-subject: ${exported.fields.length} field(s) written to ${out}.\n`);
    } else {
      io.stdout(json);
    }
    return EXIT_CODES.ok;
  } catch (error) {
    return reportError("export-subject", error, io);
  } finally {
    await opened.close();
  }
}

/** The `export-subject` command. */
export const command: Command = {
  name: "export-subject",
  summary: "Export every personal-data field of a subject, decrypted, as JSON (GDPR Art. 15).",
  help: HELP,
  options: { ...DATABASE_OPTIONS, out: { type: "string" } },
  allowPositionals: true,
  run,
};
