/**
 * `strata projections status|retry|skip|rebuild [name]` and `strata projections dead-letters
 * list|retry|drop`: operates the projections and outbox
 * subscriptions of the application described by `strata.config.ts` (see the projections guide).
 *
 * The config module (app-config.ts) holds the options of the runtime's `createProjectionEngine`.
 */
import { detectPackageManager, strataCommand } from "../init/package-manager.js";
import { AppConfigError, findAppConfig, loadAppConfig } from "./app-config.js";
import { EXIT_CODES } from "./command.js";
import type { Command, CommandIo, ExitCode, OptionValues } from "./command.js";

const HELP = `Usage: strata projections <status|retry|skip|rebuild> [name] [--config <file>] [--json] [--no-wait]
       strata projections dead-letters <list [name] | retry <name> [event-id] | drop <name> <event-id>>

  status [name]    Position, head, lag (events and seconds), state and last error of each
                   projection and subscription. Exits 1 when one is failed (health checks).
  retry <name>     Resume a failed projection; its failed event is tried again.
  skip <name>      Resume a failed projection past its failed event. The skip is recorded.
  rebuild <name>   Rebuild into fresh tables and swap when caught up; queries keep working.
                   Runs the rebuild here (with progress) unless a runner is active elsewhere,
                   in which case it waits for that runner to finish it.
  dead-letters list [name]
                   Events a projection with the dead-letter policy could not apply ("failed")
                   and the later events of their streams parked behind them ("parked"): ids,
                   type, attempts and the error's code, never data.
  dead-letters retry <name> [event-id]
                   Apply the dead letters again, stream by stream in stream order (or only the
                   stream of event-id). Exits 1 when some fail again (they stay).
  dead-letters drop <name> <event-id>
                   Give up on a failed event (recorded in projection_skips), then apply the
                   events parked behind it.

Options:
  --config <file>  The application's config module (default: strata.config.ts, .mts, .js or
                   .mjs in the current directory).
  --json           status: print JSON.
  --no-wait        rebuild: only request it; the active runner does the work.
  -h, --help       Show this help.

Exit codes: 0 done, 1 a projection is failed or the rebuild failed, 2 usage error or bad config.
`;

/** What the command needs of the runtime's projection engine (structural, see `load`). */
interface ProjectionStatusView {
  readonly name: string;
  readonly kind: string;
  readonly version: number;
  readonly state: string;
  readonly position: bigint | null;
  readonly head: bigint | null;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly eventsApplied: number;
  readonly failure: { readonly eventId: string; readonly eventType: string; readonly error: string; readonly attempts: number } | null;
  readonly lastError: string | null;
  readonly active: boolean;
  readonly rebuild: { readonly version: number; readonly eventsApplied: number; readonly lagEvents: number } | null;
  readonly deadLetters?: { readonly failed: number; readonly parked: number };
}

interface DeadLetterView {
  readonly projection: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly status: string;
  readonly attempts: number;
  readonly errorCode: string | null;
}

interface RetryReport {
  readonly applied: number;
  readonly failed: readonly DeadLetterView[];
}

interface ProjectionAdmin {
  status(name?: string): Promise<readonly ProjectionStatusView[]>;
  retry(name: string): Promise<void>;
  skip(name: string): Promise<void>;
  rebuild(name: string): Promise<void>;
  catchUp(name?: string): Promise<void>;
  deadLetters(name?: string): Promise<readonly DeadLetterView[]>;
  retryDeadLetters(name: string, eventId?: string): Promise<RetryReport>;
  dropDeadLetter(name: string, eventId: string): Promise<RetryReport>;
  close(): Promise<void>;
}

type CreateEngine = (options: Record<string, unknown>) => Promise<ProjectionAdmin>;

async function load(cwd: string, given: string | undefined, onProgress: (line: string) => void): Promise<ProjectionAdmin> {
  const file = await findAppConfig(cwd, given);
  if (file === undefined) throw new AppConfigError(`no strata.config.ts (or .mts/.js/.mjs) in ${cwd}; pass --config <file>.`);
  const { config } = await loadAppConfig(cwd, file);
  // Loaded by name so that this command compiles whatever the runtime's entry exports today.
  const runtime = (await import("@strata/runtime")) as unknown as { readonly createProjectionEngine?: CreateEngine };
  if (runtime.createProjectionEngine === undefined) throw new Error("@strata/runtime does not export createProjectionEngine");
  return runtime.createProjectionEngine({
    ...config,
    onProgress: (progress: { name: string; target: string; applied: number; swapped: boolean }) =>
      onProgress(`${progress.name}: ${progress.target === "rebuild" ? "rebuilt" : "applied"} ${progress.applied} event(s)${progress.swapped ? ", swapped in" : ""}`),
  });
}

function text(value: bigint | number | null): string {
  return value === null ? "-" : String(value);
}

function table(statuses: readonly ProjectionStatusView[]): string {
  const header = ["NAME", "KIND", "VERSION", "STATE", "POSITION", "HEAD", "LAG", "LAG(s)", "ACTIVE", "LAST ERROR"];
  const rows = statuses.map((s) => [
    s.name,
    s.kind,
    String(s.version),
    s.rebuild === null ? s.state : `${s.state} v${s.rebuild.version} (${s.rebuild.lagEvents} to go)`,
    text(s.position),
    text(s.head),
    String(s.lagEvents),
    s.lagSeconds.toFixed(1),
    s.active ? "yes" : "no",
    s.failure === null ? (s.lastError ?? "-") : `${s.failure.error} on event ${s.failure.eventId} (${s.failure.eventType}) after ${s.failure.attempts} attempt(s)`,
  ]);
  const dead = statuses.filter((s) => (s.deadLetters?.failed ?? 0) + (s.deadLetters?.parked ?? 0) > 0);
  const note = dead.map((s) => `${s.name}: ${s.deadLetters?.failed ?? 0} dead letter(s), ${s.deadLetters?.parked ?? 0} parked; see "${strataCommand(detectPackageManager())} projections dead-letters list ${s.name}".`);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd()).join("\n") + "\n" + note.map((line) => `${line}\n`).join("");
}

function deadLetterTable(letters: readonly DeadLetterView[]): string {
  if (letters.length === 0) return "No dead letters.\n";
  const header = ["PROJECTION", "STATUS", "EVENT", "TYPE", "STREAM", "VERSION", "ATTEMPTS", "ERROR"];
  const rows = letters.map((l) => [l.projection, l.status, l.eventId, l.eventType, l.streamId, String(l.streamVersion), String(l.attempts), l.errorCode ?? "-"]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd()).join("\n") + "\n";
}

async function deadLetters(admin: ProjectionAdmin, args: readonly (string | undefined)[], values: OptionValues, io: CommandIo): Promise<ExitCode> {
  const [sub, name, eventId] = args;
  if (sub === "list") {
    const letters = await admin.deadLetters(name);
    io.stdout(values["json"] === true ? `${JSON.stringify(letters, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2)}\n` : deadLetterTable(letters));
    return EXIT_CODES.ok;
  }
  const report = sub === "retry" ? await admin.retryDeadLetters(name ?? "", eventId) : await admin.dropDeadLetter(name ?? "", eventId ?? "");
  const verb = sub === "retry" ? "retried" : `dropped ${eventId ?? ""}, then applied what was parked behind it`;
  io.stdout(`${name ?? ""}: ${verb}: ${report.applied} event(s) applied.\n`);
  for (const letter of report.failed) io.stderr(`${name ?? ""}: event ${letter.eventId} (${letter.eventType}, stream ${letter.streamId}) failed again with ${letter.errorCode ?? "?"} after ${letter.attempts} attempt(s).\n`);
  return report.failed.length > 0 ? EXIT_CODES.failure : EXIT_CODES.ok;
}

async function run(values: OptionValues, positionals: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [action, name, ...extra] = positionals;
  const config = typeof values["config"] === "string" ? values["config"] : undefined;
  const deadLetterUsage =
    action === "dead-letters" &&
    !((name === "list" && extra.length <= 1) || (name === "retry" && extra.length >= 1 && extra.length <= 2) || (name === "drop" && extra.length === 2));
  if (deadLetterUsage) {
    io.stderr(`strata projections: expected dead-letters list [name], dead-letters retry <name> [event-id] or dead-letters drop <name> <event-id>.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  if (action !== "dead-letters" && (action === undefined || !["status", "retry", "skip", "rebuild"].includes(action) || extra.length > 0 || (action !== "status" && name === undefined))) {
    io.stderr(`strata projections: expected status [name], or retry|skip|rebuild <name>.\n\n${HELP}`);
    return EXIT_CODES.usage;
  }
  let admin: ProjectionAdmin;
  try {
    admin = await load(io.cwd, config, (line) => io.stderr(`${line}\n`));
  } catch (error) {
    if (!(error instanceof AppConfigError)) throw error;
    io.stderr(`strata projections: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  try {
    return action === "dead-letters" ? await deadLetters(admin, [name, ...extra], values, io) : await act(admin, action, name, values, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("PROJECTION_")) {
      io.stderr(`strata projections: ${(error as Error).message}\n`);
      return code === "PROJECTION_FAILED" ? EXIT_CODES.failure : EXIT_CODES.usage;
    }
    throw error;
  } finally {
    await admin.close();
  }
}

async function act(admin: ProjectionAdmin, action: string, name: string | undefined, values: OptionValues, io: CommandIo): Promise<ExitCode> {
  switch (action) {
    case "status": {
      const statuses = await admin.status(name);
      io.stdout(values["json"] === true ? `${JSON.stringify(statuses, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2)}\n` : table(statuses));
      return statuses.some((s) => s.state === "failed") ? EXIT_CODES.failure : EXIT_CODES.ok;
    }
    case "retry":
    case "skip":
      await (action === "retry" ? admin.retry(name ?? "") : admin.skip(name ?? ""));
      io.stdout(`${name ?? ""}: ${action === "retry" ? "resumed; the failed event will be tried again" : "resumed past the failed event (recorded in projection_skips)"}.\n`);
      return EXIT_CODES.ok;
    default: {
      await admin.rebuild(name ?? "");
      if (values["no-wait"] === true) {
        io.stdout(`${name ?? ""}: rebuild requested; the active runner will do it.\n`);
        return EXIT_CODES.ok;
      }
      await admin.catchUp(name);
      io.stdout(`${name ?? ""}: rebuilt and swapped in.\n`);
      return EXIT_CODES.ok;
    }
  }
}

/** The `strata projections` command. */
export const command: Command = {
  name: "projections",
  summary: "Status, retry, skip, rebuild and dead letters of projections and subscriptions (strata.config.ts).",
  help: HELP,
  options: { config: { type: "string" }, json: { type: "boolean" }, "no-wait": { type: "boolean" } },
  allowPositionals: true,
  run,
};
