/**
 * Test support: a throw-away repository holding a copy of the banking catalog (and, on request,
 * the hand-written MoneyDeposited v2→v3 upcaster), for checks that read files.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The banking catalog of this repository. */
export const BANKING_SCHEMAS = fileURLToPath(new URL("../../../../../schemas", import.meta.url));

/** A filled-in MoneyDeposited v2→v3 upcaster with the expected signature. */
export const FILLED_MONEY_DEPOSITED_UPCASTER = `import type { UpcastContext } from "@strata/runtime";
import type { MoneyDepositedV2, MoneyDepositedV3 } from "../generated/money-deposited.types.gen.js";

export function upcastMoneyDepositedV2ToV3(data: MoneyDepositedV2, _context: UpcastContext): MoneyDepositedV3 {
  return { accountId: data.accountId, money: { amountMinor: data.amount, currency: data.currency }, source: "unknown" };
}
`;

export interface TempRepo {
  readonly root: string;
  /** Writes `text` at the repository-relative `path`. */
  write(path: string, text: string): Promise<void>;
  /** Reads and parses the repository-relative JSON file `path`. */
  readJson(path: string): Promise<Record<string, unknown>>;
  remove(): Promise<void>;
}

/** Copies `schemas/` into a fresh folder; with `upcaster` the v2→v3 upcaster file too. */
export async function bankingRepo(options: { readonly upcaster?: string } = {}): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), "strata-check-repo-"));
  await cp(BANKING_SCHEMAS, join(root, "schemas"), { recursive: true, filter: (source) => !source.endsWith("strata.lock.json") });
  const repo: TempRepo = {
    root,
    async write(path, text) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    },
    async readJson(path) {
      return JSON.parse(await readFile(join(root, path), "utf8")) as Record<string, unknown>;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  if (options.upcaster !== undefined) await repo.write("packages/banking-events/src/upcasters/money-deposited.v2-to-v3.ts", options.upcaster);
  return repo;
}
