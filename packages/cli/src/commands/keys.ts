/**
 * `strata keys rotate-kek [--to <kek-id>] [--batch-size <n>]`: re-wraps every data key with the
 * current (or given) KEK. Events are neither read nor written; an interrupted run is run again.
 * `strata keys generate [--id <kek-id>]` prints a new random KEK as a `STRATA_KEKS` entry.
 */
import { LocalKekProvider } from "@strata/runtime";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { DATABASE_HELP, DATABASE_OPTIONS, openFromOptions, reportError } from "./personal-data-cli.js";

const HELP = `Usage: strata keys generate [--id <kek-id>] [--json]
       strata keys rotate-kek [--to <kek-id>] [--batch-size <n>] [database options]

generate: prints a new key-encryption key (32 random bytes, base64) as an entry of STRATA_KEKS,
"<kek-id>:<base64>" (default id v1). Keep it in a secret store; it is printed nowhere else.
To add it to an existing list, append ",<entry>" and make it current (STRATA_KEK_CURRENT).

rotate-kek:
Re-wraps every subject's data key with another key-encryption key (KEK). Data keys and events do
not change, so every event stays readable throughout. Steps: add the new KEK to STRATA_KEKS and
make it current (STRATA_KEK_CURRENT, or list it last), deploy, run this command, then remove the
old KEK. A rerun skips keys already wrapped by the target, so an interrupted rotation is simply
run again.

Options:
  --to <kek-id>         Target KEK (default: the current one).
  --batch-size <n>      Keys per page (default 500).
${DATABASE_HELP}

Exit codes: 0 every key is wrapped by the target, 1 a key could not be unwrapped (the run
stopped there; fix the KEK configuration and run again) or the database failed, 2 usage error.
`;

function generate(values: OptionValues, io: CommandIo): ExitCode {
  const kekId = typeof values["id"] === "string" ? values["id"] : "v1";
  if (!LocalKekProvider.isKekId(kekId)) {
    io.stderr(`strata keys: --id must be 1-64 letters, digits, ".", "_" or "-".\n`);
    return EXIT_CODES.usage;
  }
  const kek = LocalKekProvider.generateKek();
  if (values["json"] === true) io.stdout(`${JSON.stringify({ kekId, kek, entry: `${kekId}:${kek}` })}\n`);
  else io.stdout(`${kekId}:${kek}\n`);
  return EXIT_CODES.ok;
}

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  if (positionals.length === 1 && positionals[0] === "generate") return generate(values, io);
  if (positionals.length !== 1 || positionals[0] !== "rotate-kek") {
    io.stderr(`strata keys: expected the subcommand generate or rotate-kek.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const batchText = values["batch-size"];
  const batchSize = typeof batchText === "string" ? Number(batchText) : 500;
  if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) {
    io.stderr(`strata keys: --batch-size must be a positive integer.\n`);
    return EXIT_CODES.usage;
  }
  const opened = await openFromOptions("keys", HELP, values, io, { auditKey: false });
  if (typeof opened === "number") return opened;
  try {
    const to = values["to"];
    const report = await opened.rotateKek({
      batchSize,
      ...(typeof to === "string" ? { toKekId: to } : {}),
      onProgress: (progress) => {
        if (values["json"] !== true) io.stderr(`keys: ${progress.scanned} key(s) scanned, ${progress.rewrapped} re-wrapped…\n`);
      },
    });
    if (values["json"] === true) io.stdout(`${JSON.stringify(report)}\n`);
    else {
      io.stdout(
        `keys: every data key is wrapped by "${report.toKekId}": ${report.rewrapped} re-wrapped, ${report.alreadyCurrent} already current, ${report.skipped} erased or changed meanwhile (of ${report.scanned}).\n`,
      );
    }
    return EXIT_CODES.ok;
  } catch (error) {
    return reportError("keys", error, io);
  } finally {
    await opened.close();
  }
}

/** The `keys` command. */
export const command: Command = {
  name: "keys",
  summary: "Manage keys: generate prints a new KEK; rotate-kek re-wraps every data key with the current KEK.",
  help: HELP,
  options: { ...DATABASE_OPTIONS, to: { type: "string" }, "batch-size": { type: "string" }, id: { type: "string" } },
  allowPositionals: true,
  run,
};
