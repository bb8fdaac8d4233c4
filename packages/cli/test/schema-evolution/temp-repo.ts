/**
 * Test support for the schema-evolution commands: a throw-away repository with a copy of the
 * banking catalog, optionally under git, with the CLI run in-process against it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { main } from "../../src/main.js";

const run = promisify(execFile);
const BANKING_SCHEMAS = fileURLToPath(new URL("../../../../schemas", import.meta.url));
const BANKING_UPCASTERS = fileURLToPath(new URL("../../../banking-events/src/upcasters", import.meta.url));

/** The filled-in MoneyDeposited v2→v3 upcaster. */
export const FILLED_UPCASTER = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";

export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "unknown" };
}
`;
export const UPCASTER_PATH = "packages/banking-events/src/upcasters/money-deposited.v2-to-v3.ts";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export class TempRepo {
  private constructor(readonly root: string) {}

  /**
   * A copy of `schemas/` (without its lock file) and of the banking catalog's hand-written
   * upcasters, the MoneyDeposited v2→v3 one replaced by `upcaster` (left out when it is null).
   */
  static async create(options: { readonly upcaster?: string | null } = {}): Promise<TempRepo> {
    const repo = new TempRepo(await mkdtemp(join(tmpdir(), "strata-cli-check-")));
    await cp(BANKING_SCHEMAS, join(repo.root, "schemas"), { recursive: true, filter: (source) => !source.endsWith("strata.lock.json") });
    await cp(BANKING_UPCASTERS, join(repo.root, dirname(UPCASTER_PATH)), { recursive: true, filter: (source) => !source.endsWith(".test.ts") && !source.endsWith(UPCASTER_PATH.split("/").pop()!) });
    if (options.upcaster !== null) await repo.write(UPCASTER_PATH, options.upcaster ?? FILLED_UPCASTER);
    return repo;
  }

  async write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.root, path)), { recursive: true });
    await writeFile(join(this.root, path), text);
  }

  async read(path: string): Promise<string> {
    return readFile(join(this.root, path), "utf8");
  }

  /** The highest `v<N>` of `schemas/<context>/<event>/`. */
  async latestVersion(event: string, context = "banking"): Promise<number> {
    return Math.max(...(await this.list(`schemas/${context}/${event}`)).map((file) => Number(/^v(\d+)\.json$/.exec(file)?.[1] ?? 0)));
  }

  async list(path: string): Promise<string[]> {
    return (await readdir(join(this.root, path))).sort();
  }

  /** Rewrites the JSON file `path` through `edit`. */
  async editJson(path: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
    const value = JSON.parse(await this.read(path)) as Record<string, unknown>;
    edit(value);
    await this.write(path, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Records every schema file now in the catalog as released (the lock file's format). */
  async releaseAll(): Promise<void> {
    const released: Record<string, string> = {};
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(join(this.root, "schemas", folder), { withFileTypes: true })) {
        const rel = folder === "" ? entry.name : `${folder}/${entry.name}`;
        if (entry.isDirectory()) await walk(rel);
        else if (rel.includes("/") && entry.name.endsWith(".json") && entry.name !== "context.json") {
          const value = JSON.parse(await this.read(`schemas/${rel}`)) as unknown;
          released[rel] = `sha256-${createHash("sha256").update(canonical(value)).digest("hex")}`;
        }
      }
    };
    await walk("");
    const sorted = Object.fromEntries(Object.entries(released).sort(([a], [b]) => (a < b ? -1 : 1)));
    await this.write("schemas/strata.lock.json", `${JSON.stringify({ lockVersion: 1, released: sorted }, null, 2)}\n`);
  }

  /** Makes the folder a git repository with everything committed. */
  async commitAll(message: string): Promise<void> {
    const git = (...args: string[]) => run("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "init.defaultBranch=main", ...args], { cwd: this.root });
    await git("init", "--quiet");
    await git("add", "-A");
    await git("commit", "--quiet", "--allow-empty", "-m", message);
  }

  /** Runs `strata <args> --root <repo>` in-process. */
  async cli(...args: string[]): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const code = await main([...args, "--root", this.root], {
      cwd: this.root,
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      stderrIsTty: false,
      signal: new AbortController().signal,
    });
    return { code, stdout, stderr };
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
