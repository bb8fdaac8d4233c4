/**
 * Key material for crypto-shredding: the KEKs that wrap each customer's data key, and the secret
 * of the erasure audit's keyed hash.
 *
 * Production sets `STRATA_KEKS` (or `STRATA_KEKS_FILE`) and `STRATA_AUDIT_KEY` (base64, ≥ 32
 * bytes). Without them the app uses development keys: random in memory for `--memory` and tests,
 * else a file beside the data (so a restart can still read what it wrote). A KEK stored next to
 * the data protects nothing; the app logs a warning when it does so.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { LocalKekProvider } from "@strata/runtime";
import type { KekProvider } from "@strata/runtime";

/** Crypto-shredding keys. */
export interface PersonalDataKeys {
  readonly kek: KekProvider;
  readonly auditKey: Uint8Array;
  /** Where they came from, for the start-up log. */
  readonly source: "environment" | "memory" | "development file";
}

/** Random keys held in memory only (tests, `--memory`): data written with them is unreadable after a restart. */
export function ephemeralKeys(): PersonalDataKeys {
  return { kek: new LocalKekProvider({ keks: { dev: randomBytes(32) }, current: "dev" }), auditKey: randomBytes(32), source: "memory" };
}

interface DevKeyFile {
  readonly kek: string;
  readonly auditKey: string;
}

/** Keys from the environment, else from (or into) the development key file `devFile`; `undefined` means memory. */
export async function loadKeys(env: Readonly<Record<string, string | undefined>>, devFile: string | undefined): Promise<PersonalDataKeys> {
  const audit = env["STRATA_AUDIT_KEY"];
  if (env["STRATA_KEKS"] !== undefined || env["STRATA_KEKS_FILE"] !== undefined) {
    if (audit === undefined) throw new Error("STRATA_KEKS is set but STRATA_AUDIT_KEY is not: set it to base64 of at least 32 random bytes.");
    return { kek: LocalKekProvider.fromEnv(env), auditKey: Buffer.from(audit, "base64"), source: "environment" };
  }
  if (devFile === undefined) return ephemeralKeys();
  let keys: DevKeyFile;
  try {
    keys = JSON.parse(await readFile(devFile, "utf8")) as DevKeyFile;
  } catch {
    keys = { kek: LocalKekProvider.generateKek(), auditKey: randomBytes(32).toString("base64") };
    await writeFile(devFile, JSON.stringify(keys), { mode: 0o600 });
  }
  return { kek: new LocalKekProvider({ keks: { dev: Buffer.from(keys.kek, "base64") }, current: "dev" }), auditKey: Buffer.from(keys.auditKey, "base64"), source: "development file" };
}
