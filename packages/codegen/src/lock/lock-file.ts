/**
 * `schemas/strata.lock.json`: the content hash of every released file of the catalog.
 * `{ "lockVersion": 1, "released": { "banking/MoneyDeposited/v1.json": "sha256-…" } }`.
 */
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { LockFileError } from "../errors.js";
import { formatAjvErrors, sharedAjv, type LocatedMessage } from "../load/ajv.js";
import { parseJson } from "../load/parse-json.js";
import { validateRemembered, type ValidationMemo } from "../load/validation-memo.js";

/** File name of the lock file inside the catalog folder. */
export const LOCK_FILE_NAME = "strata.lock.json";

/** The parsed lock file. */
export interface LockFile {
  readonly lockVersion: 1;
  /** Catalog-relative path → `sha256-<hex>` content hash. */
  readonly released: Readonly<Record<string, string>>;
}

const LOCK_SCHEMA = {
  type: "object",
  properties: {
    lockVersion: { const: 1 },
    released: {
      type: "object",
      propertyNames: { pattern: "^[^/]+(/[^/]+)+\\.json$" },
      additionalProperties: { type: "string", pattern: "^sha256-[0-9a-f]{64}$" },
    },
  },
  required: ["lockVersion", "released"],
  additionalProperties: false,
} as const;

export type LockRead =
  | { readonly status: "missing" }
  | { readonly status: "ok"; readonly lock: LockFile }
  | { readonly status: "invalid"; readonly problems: readonly LocatedMessage[] };

/** Reads the lock file of the catalog at `root` without throwing; `memo` skips validating a lock file known to pass. */
export async function tryReadLock(root: string, memo?: ValidationMemo): Promise<LockRead> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE_NAME), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "invalid", problems: [{ pointer: "", message: `cannot read file: ${String(error)}` }] };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { status: "invalid", problems: [{ pointer: "", message: parsed.message }] };
  const problems = validateRemembered(memo, LOCK_SCHEMA, parsed.value, () => {
    const validate = sharedAjv().compile(LOCK_SCHEMA);
    return validate(parsed.value) ? [] : formatAjvErrors(validate.errors);
  });
  if (problems.length > 0) return { status: "invalid", problems };
  return { status: "ok", lock: parsed.value as LockFile };
}

/**
 * Reads `strata.lock.json` from the catalog folder `root`; an absent file is an empty lock.
 * @throws {@link LockFileError} when the file exists but is not a valid lock file.
 */
export async function readLock(root: string): Promise<LockFile> {
  const read = await tryReadLock(root);
  switch (read.status) {
    case "missing":
      return { lockVersion: 1, released: {} };
    case "ok":
      return read.lock;
    case "invalid":
      throw new LockFileError(
        `${basename(root)}/${LOCK_FILE_NAME}`,
        read.problems.map((p) => `#${p.pointer}: ${p.message}`).join("; "),
      );
  }
}

/** The lock file's text: sorted keys, two-space indent, trailing newline. */
export function serializeLock(lock: LockFile): string {
  const released = Object.fromEntries(Object.entries(lock.released).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ lockVersion: 1, released }, null, 2)}\n`;
}

/** Writes the lock file atomically: a temporary file in the same folder, then a rename over the old one. */
export async function writeLock(root: string, lock: LockFile): Promise<void> {
  const target = join(root, LOCK_FILE_NAME);
  const temporary = `${target}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, serializeLock(lock), { encoding: "utf8", flag: "wx" });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
