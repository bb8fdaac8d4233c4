/**
 * Upcaster inspections remembered by content: the TypeScript parser behind
 * `inspectUpcasterSource` costs seconds to load, so `strata check` keeps each verdict in
 * `node_modules/.cache/strata/upcaster-inspections.json`, keyed by a hash of the file's text and
 * the expected signature, and loads the parser only when a file changed. Deleting the cache is
 * always safe.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import type { ExpectedUpcaster } from "../upcasters/expected-upcaster.js";
import type { UpcasterInspection } from "../upcasters/inspect-upcaster.js";

/** Where the cache lives under the repository root. */
export const INSPECTION_CACHE_FILE = "node_modules/.cache/strata/upcaster-inspections.json";

/** Inspections of one run, read from and written back to the cache file. */
export class InspectionCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Record<string, UpcasterInspection>,
  ) {}

  /** The cache of `repoRoot` (empty when absent or unreadable). */
  static async open(repoRoot: string): Promise<InspectionCache> {
    const file = join(repoRoot, INSPECTION_CACHE_FILE);
    try {
      const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return new InspectionCache(file, parsed as Record<string, UpcasterInspection>);
    } catch {
      // absent or corrupt: start over
    }
    return new InspectionCache(file, {});
  }

  /** The inspection of the upcaster at `path`, from the cache when its text is unchanged. */
  async inspect(path: string, expected: ExpectedUpcaster): Promise<UpcasterInspection> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing-file", detail: "the file does not exist (run `strata codegen` to scaffold it)" };
      throw error;
    }
    const key = createHash("sha256").update(JSON.stringify([path, expected, text])).digest("hex");
    const known = this.entries[key];
    if (known !== undefined) return known;
    const { inspectUpcasterSource } = await import("../upcasters/inspect-upcaster.js");
    const inspection = inspectUpcasterSource(path, text, expected);
    this.entries[key] = inspection;
    this.changed = true;
    return inspection;
  }

  /** Writes the cache back when it changed; a read-only tree only loses the speed-up. */
  async save(): Promise<void> {
    if (!this.changed) return;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(this.file, JSON.stringify(this.entries));
    } catch {
      // not writable: the next run inspects again
    }
  }
}
