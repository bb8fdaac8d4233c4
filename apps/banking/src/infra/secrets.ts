/**
 * Key material for crypto-shredding: the KEKs that wrap each customer's data key, and the secret
 * of the erasure audit's keyed hash.
 *
 * Production sets `STRATA_KEKS` (or `STRATA_KEKS_FILE`) and `STRATA_AUDIT_KEY` (base64, ≥ 32
 * bytes). Development keys exist only when asked for: `start --dev` (embedded PGlite) or
 * `STRATA_DEV_KEYS=1` (also on PostgreSQL) write random keys to a file beside the data (mode
 * 0600 in a 0700 directory) so a restart can still read what it wrote; `--memory` and the tests
 * use random keys in memory. Anything else without `STRATA_KEKS` is refused with
 * {@link KeysNotConfiguredError}. A KEK stored next to the data protects nothing.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { LocalKekProvider } from "@strata/runtime";
import type { KekProvider } from "@strata/runtime";

/** Crypto-shredding keys. */
export interface PersonalDataKeys {
  readonly kek: KekProvider;
  readonly auditKey: Uint8Array;
  /** Where they came from, for the start-up log. */
  readonly source: "environment" | "memory" | "development file";
}

/** No KEK is configured and development keys were not asked for. */
export class KeysNotConfiguredError extends Error {
  /** Stable code. */
  readonly code = "KEYS_NOT_CONFIGURED";

  constructor(postgres: boolean) {
    super(
      "No key-encryption key is configured. Set STRATA_KEKS to \"v1:<base64 of 32 random bytes>\" (print one with `pnpm strata keys generate`) " +
        "and STRATA_AUDIT_KEY to base64 of at least 32 random bytes. " +
        (postgres
          ? "For development keys stored beside the data on PostgreSQL, set STRATA_DEV_KEYS=1 explicitly."
          : "For development keys stored beside the data, start with --dev (or STRATA_DEV_KEYS=1)."),
    );
    this.name = "KeysNotConfiguredError";
  }
}

/** Random keys held in memory only (tests, `--memory`): data written with them is unreadable after a restart. */
export function ephemeralKeys(): PersonalDataKeys {
  return { kek: new LocalKekProvider({ keks: { dev: randomBytes(32) }, current: "dev" }), auditKey: randomBytes(32), source: "memory" };
}

interface DevKeyFile {
  readonly kek: string;
  readonly auditKey: string;
}

/** How {@link loadKeys} may find keys when the environment has none. */
export interface KeySources {
  /** The development key file, or `undefined` when the data lives in memory. */
  readonly devFile: string | undefined;
  /** `--dev` was given. Honoured on embedded PGlite only; PostgreSQL needs `STRATA_DEV_KEYS=1`. */
  readonly dev: boolean;
  /** The app runs on a PostgreSQL server. */
  readonly postgres: boolean;
}

/**
 * Whether the operator asked for development secrets stored beside the data (keys, and the
 * development users of `auth/auth-settings.ts`): `STRATA_DEV_KEYS=1`, or `--dev` on embedded
 * PGlite. On PostgreSQL `--dev` alone is not enough: a server is where production runs.
 */
export function developmentAsked(env: Readonly<Record<string, string | undefined>>, sources: Pick<KeySources, "dev" | "postgres">): boolean {
  return env["STRATA_DEV_KEYS"] === "1" || (sources.dev && !sources.postgres);
}

/**
 * Keys from the environment; else development keys when asked for; else in memory when the data
 * is in memory too.
 *
 * @throws {@link KeysNotConfiguredError} when none of these applies.
 */
export async function loadKeys(env: Readonly<Record<string, string | undefined>>, sources: KeySources): Promise<PersonalDataKeys> {
  const audit = env["STRATA_AUDIT_KEY"];
  if (env["STRATA_KEKS"] !== undefined || env["STRATA_KEKS_FILE"] !== undefined) {
    if (audit === undefined) throw new Error("STRATA_KEKS is set but STRATA_AUDIT_KEY is not: set it to base64 of at least 32 random bytes.");
    return { kek: LocalKekProvider.fromEnv(env), auditKey: Buffer.from(audit, "base64"), source: "environment" };
  }
  if (sources.devFile === undefined) return ephemeralKeys();
  if (!developmentAsked(env, sources)) throw new KeysNotConfiguredError(sources.postgres);
  return devKeys(sources.devFile);
}

async function devKeys(devFile: string): Promise<PersonalDataKeys> {
  let keys: DevKeyFile;
  try {
    keys = JSON.parse(await readFile(devFile, "utf8")) as DevKeyFile;
  } catch {
    keys = { kek: LocalKekProvider.generateKek(), auditKey: randomBytes(32).toString("base64") };
    await mkdir(dirname(devFile), { recursive: true, mode: 0o700 });
    await writeFile(devFile, JSON.stringify(keys), { mode: 0o600 });
  }
  await chmod(devFile, 0o600); // also a file left by an earlier release with a looser mode
  return { kek: new LocalKekProvider({ keks: { dev: Buffer.from(keys.kek, "base64") }, current: "dev" }), auditKey: Buffer.from(keys.auditKey, "base64"), source: "development file" };
}
