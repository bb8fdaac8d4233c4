/** Tallies the conformance run and writes conformance-counts.json (sorted, so deterministic). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface FileCounts {
  validatedGroups: number;
  validatedCases: number;
  casesPassed: number;
  refusedGroups: number;
  refusedCases: number;
  /** Refused groups per keyword; a group counts once under each distinct keyword it uses. */
  refusedByKeyword: Record<string, number>;
}

/** The three parts of the suite reported apart: the main files, `optional/*`, `optional/format/*`. */
const PARTS = [
  ["required (tests/draft2020-12/*.json)", (file: string) => !file.includes("/")],
  ["optional (tests/draft2020-12/optional/*.json)", (file: string) => file.startsWith("optional/") && !file.startsWith("optional/format/")],
  ["formats (tests/draft2020-12/optional/format/*.json)", (file: string) => file.startsWith("optional/format/")],
] as const;

const sorted = <T>(entries: Iterable<[string, T]>): Record<string, T> => Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));

export class ConformanceCounts {
  private readonly files = new Map<string, FileCounts>();
  private readonly excluded = new Map<string, { groups: number; cases: number; reason: string }>();
  private registered = 0;
  private done = 0;

  private file(name: string): FileCounts {
    let counts = this.files.get(name);
    if (counts === undefined) {
      counts = { validatedGroups: 0, validatedCases: 0, casesPassed: 0, refusedGroups: 0, refusedCases: 0, refusedByKeyword: {} };
      this.files.set(name, counts);
    }
    return counts;
  }

  /** A test was registered. */
  expect(): void {
    this.registered += 1;
  }

  /** A registered test reached its end (all its assertions held). */
  finished(): void {
    this.done += 1;
  }

  validated(file: string, cases: number): void {
    this.file(file).validatedGroups += 1;
    this.file(file).validatedCases += cases;
  }

  passed(file: string, cases: number): void {
    this.file(file).casesPassed += cases;
  }

  refused(file: string, cases: number, keywords: readonly string[]): void {
    const counts = this.file(file);
    counts.refusedGroups += 1;
    counts.refusedCases += cases;
    for (const keyword of keywords) counts.refusedByKeyword[keyword] = (counts.refusedByKeyword[keyword] ?? 0) + 1;
  }

  exclude(file: string, groups: number, cases: number, reason: string): void {
    this.excluded.set(file, { groups, cases, reason });
  }

  /** True when every registered test passed (a filtered or failing run must not write counts). */
  complete(): boolean {
    return this.done === this.registered;
  }

  private total(files: readonly FileCounts[]): Record<string, unknown> {
    const sum = (pick: (counts: FileCounts) => number): number => files.reduce((total, counts) => total + pick(counts), 0);
    const byKeyword = new Map<string, number>();
    for (const counts of files) {
      for (const [keyword, n] of Object.entries(counts.refusedByKeyword)) byKeyword.set(keyword, (byKeyword.get(keyword) ?? 0) + n);
    }
    return {
      validated: { groups: sum((c) => c.validatedGroups), cases: sum((c) => c.validatedCases), casesPassed: sum((c) => c.casesPassed) },
      refused: { groups: sum((c) => c.refusedGroups), cases: sum((c) => c.refusedCases), groupsByKeyword: sorted(byKeyword) },
    };
  }

  write(suite: string): void {
    const entries = [...this.files.entries()];
    const report = {
      suite,
      note: "A refused group counts once under each distinct keyword it was refused for.",
      totals: Object.fromEntries(PARTS.map(([part, includes]) => [part, this.total(entries.filter(([name]) => includes(name)).map(([, c]) => c))])),
      excluded: sorted(this.excluded),
      files: sorted(entries),
    };
    writeFileSync(fileURLToPath(new URL("conformance-counts.json", import.meta.url)), `${JSON.stringify(report, null, 2)}\n`);
  }
}
