/**
 * Test support: a throw-away repository holding a copy of the banking catalog (and, on request,
 * the hand-written MoneyDeposited v2→v3 upcaster), for checks that read files.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The banking catalog of this repository. */
export const BANKING_SCHEMAS = fileURLToPath(new URL("../../../../../schemas", import.meta.url));

/** The banking catalog's hand-written upcasters. */
const BANKING_UPCASTERS = fileURLToPath(new URL("../../../../banking-events/src/upcasters", import.meta.url));
const MONEY_DEPOSITED_V2_TO_V3 = "packages/banking-events/src/upcasters/money-deposited.v2-to-v3.ts";

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
  /** The highest `v<N>` of `schemas/banking/<event>/`. */
  latestVersion(event: string): Promise<number>;
  remove(): Promise<void>;
}

/**
 * Copies `schemas/` and the hand-written upcasters into a fresh folder, all but the MoneyDeposited
 * v2→v3 one, which is written only when `upcaster` gives its text.
 */
export async function bankingRepo(options: { readonly upcaster?: string } = {}): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), "strata-check-repo-"));
  await cp(BANKING_SCHEMAS, join(root, "schemas"), { recursive: true, filter: (source) => !source.endsWith("strata.lock.json") });
  await cp(BANKING_UPCASTERS, join(root, dirname(MONEY_DEPOSITED_V2_TO_V3)), {
    recursive: true,
    filter: (source) => !source.endsWith(".test.ts") && !MONEY_DEPOSITED_V2_TO_V3.endsWith(source.slice(source.lastIndexOf("/"))),
  });
  const repo: TempRepo = {
    root,
    async write(path, text) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    },
    async readJson(path) {
      return JSON.parse(await readFile(join(root, path), "utf8")) as Record<string, unknown>;
    },
    async latestVersion(event) {
      const files = await readdir(join(root, "schemas", "banking", event));
      return Math.max(...files.map((file) => Number(/^v(\d+)\.json$/.exec(file)?.[1] ?? 0)));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  if (options.upcaster !== undefined) await repo.write(MONEY_DEPOSITED_V2_TO_V3, options.upcaster);
  return repo;
}
