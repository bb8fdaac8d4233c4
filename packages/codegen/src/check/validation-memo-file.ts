/**
 * The load stage's validation memo kept on disk, next to the upcaster inspections:
 * `node_modules/.cache/strata/valid-documents.json` under the repository root, a list of keys of
 * documents that passed (see `load/validation-memo.ts`). Deleting it is always safe: the next run
 * validates everything again. Unreadable or unwritable, it only costs the speed-up.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import type { ValidationMemo } from "../load/validation-memo.js";

/** Where the memo lives under the repository root. */
export const VALIDATION_MEMO_FILE = "node_modules/.cache/strata/valid-documents.json";

/** The most keys kept: the newest, so a catalog's current files stay while old edits age out. */
const MAX_KEYS = 10_000;

/** A {@link ValidationMemo} read from and written back to {@link VALIDATION_MEMO_FILE}. */
export class ValidationMemoFile implements ValidationMemo {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly keys: Set<string>,
  ) {}

  /** The memo of `repoRoot` (empty when absent or unreadable). */
  static async open(repoRoot: string): Promise<ValidationMemoFile> {
    const file = join(repoRoot, VALIDATION_MEMO_FILE);
    try {
      const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
      if (Array.isArray(parsed)) return new ValidationMemoFile(file, new Set(parsed.filter((key): key is string => typeof key === "string")));
    } catch {
      // absent or corrupt: start over
    }
    return new ValidationMemoFile(file, new Set());
  }

  /** {@inheritDoc ValidationMemo.has} */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** {@inheritDoc ValidationMemo.add} */
  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.changed = true;
  }

  /** Writes the memo back when it changed. */
  async save(): Promise<void> {
    if (!this.changed) return;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(this.file, JSON.stringify([...this.keys].slice(-MAX_KEYS)));
    } catch {
      // not writable: the next run validates again
    }
  }
}
