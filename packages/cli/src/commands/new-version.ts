/**
 * `strata new-version <context>/<Event> [--root <dir>]`: copies the latest version of an event
 * type to v<N+1> (its `$id` updated), unreleased and ready to edit. Never overwrites a file.
 */
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { readLock } from "@strata/codegen";
import { closestName } from "@strata/runtime/did-you-mean";

import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";
import { findRepoRoot } from "./find-repo-root.js";
import { detectPackageManager, strataCommand } from "../init/package-manager.js";

const HELP = `Usage: strata new-version <context>/<Event> [--root <dir>]

Copies schemas/<context>/<Event>/v<N>.json, the latest version, to v<N+1>.json with its $id
updated. The new version is unreleased: edit it, run \`strata codegen\` (which derives or
scaffolds the upcaster v<N>→v<N+1>) and \`strata check\`.

Options:
  --root <dir>  Repository root (default: the nearest folder up with schemas/).
  -h, --help    Show this help.

Exit codes: 0 created, 1 the file could not be created, 2 usage error or unknown event type.
`;

const TARGET = /^([a-z][a-z0-9-]*)\/([A-Z][A-Za-z0-9]*)$/;

async function latestVersion(folder: string): Promise<number | undefined> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return undefined;
  }
  const versions = names.map((name) => /^v([1-9][0-9]*)\.json$/.exec(name)?.[1]).filter((v): v is string => v !== undefined).map(Number);
  return versions.length === 0 ? undefined : Math.max(...versions);
}

/** The copy's text: the same schema with `$id` pointing at the new file, key order kept. */
function nextVersionText(text: string, from: number, to: number): string {
  const schema = JSON.parse(text) as Record<string, unknown>;
  const id = schema["$id"];
  if (typeof id === "string") schema["$id"] = id.replace(new RegExp(`/v${from}\\.json$`), `/v${to}.json`);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Whether the lock file records `file`; an unreadable lock counts as "released" (no advice then). */
async function isReleased(catalogRoot: string, file: string): Promise<boolean> {
  try {
    return (await readLock(catalogRoot)).released[file] !== undefined;
  } catch {
    return true;
  }
}

/** Every `<context>/<Event>` folder under `schemas/`. */
async function catalogEvents(schemas: string): Promise<string[]> {
  const contexts = await readdir(schemas, { withFileTypes: true }).catch(() => []);
  const events = await Promise.all(
    contexts
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => (await readdir(path.join(schemas, entry.name), { withFileTypes: true })).filter((inner) => inner.isDirectory() && !inner.name.startsWith("_")).map((inner) => `${entry.name}/${inner.name}`)),
  );
  return events.flat();
}

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [target, ...extra] = positionals;
  const match = target === undefined ? null : TARGET.exec(target);
  if (match === null || extra.length > 0) {
    io.stderr(`strata new-version: expected one <context>/<Event>, e.g. banking/MoneyDeposited.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  const [, context = "", event = ""] = match;
  const rootOption = typeof values["root"] === "string" ? path.resolve(io.cwd, values["root"]) : undefined;
  const repoRoot = rootOption ?? (await findRepoRoot(io.cwd));
  if (repoRoot === undefined) {
    io.stderr(`strata new-version: no schemas/ folder found above ${io.cwd}; pass --root <dir>.\n`);
    return EXIT_CODES.usage;
  }
  const folder = path.join(repoRoot, "schemas", context, event);
  const latest = await latestVersion(folder);
  if (latest === undefined) {
    // Suggest the nearest <context>/<Event> of the catalog: a typo in either half is the usual cause.
    const known = await catalogEvents(path.join(repoRoot, "schemas"));
    const suggestion = closestName(`${context}/${event}`, known);
    const hint = suggestion === undefined ? " check the context and event type names." : ` did you mean ${suggestion}?`;
    io.stderr(`strata new-version: schemas/${context}/${event}/ has no v<N>.json;${hint}\n`);
    return EXIT_CODES.usage;
  }
  const next = latest + 1;
  const source = `schemas/${context}/${event}/v${latest}.json`;
  const created = `schemas/${context}/${event}/v${next}.json`;
  let text: string;
  try {
    text = nextVersionText(await readFile(path.join(folder, `v${latest}.json`), "utf8"), latest, next);
  } catch (error) {
    io.stderr(`strata new-version: cannot read ${source} as JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failure;
  }
  try {
    await writeFile(path.join(folder, `v${next}.json`), text, { encoding: "utf8", flag: "wx" });
  } catch (error) {
    io.stderr(`strata new-version: cannot create ${created}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failure;
  }
  const strata = strataCommand(detectPackageManager());
  io.stdout(`created ${created} (a copy of v${latest}, unreleased): edit it, then run \`${strata} codegen\` and \`${strata} check\`.\n`);
  if (!(await isReleased(path.join(repoRoot, "schemas"), `${context}/${event}/v${latest}.json`))) {
    io.stdout(`note: v${latest} is not released yet either; changing it in place would have been allowed too.\n`);
  }
  return EXIT_CODES.ok;
}

/** The `new-version` command. */
export const command: Command = {
  name: "new-version",
  summary: "Copy the latest version of an event type to v<N+1>, ready to edit.",
  help: HELP,
  options: { root: { type: "string" } },
  allowPositionals: true,
  run,
};
