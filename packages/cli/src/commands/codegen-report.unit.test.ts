import { describe, expect, it } from "vitest";

import { checkSummary, progressReporter, PROGRESS_THRESHOLD } from "./codegen-report.js";

const progress = (done: number, total: number) => ({ context: "banking", event: `E${done}`, done, total });

describe("progressReporter", () => {
  it("redraws one line on a terminal and clears it at the end", () => {
    const written: string[] = [];
    const reporter = progressReporter((t) => written.push(t), true);
    reporter.onProgress(progress(3, 11));
    reporter.finish();
    expect(written).toEqual(["\r\x1b[2Kcodegen: banking (3/11 events)", "\r\x1b[2K"]);
  });

  it("stays silent off a terminal for small catalogs and prints quarters for large ones", () => {
    const small: string[] = [];
    const quiet = progressReporter((t) => small.push(t), false);
    for (let done = 1; done <= 11; done += 1) quiet.onProgress(progress(done, 11));
    expect(small).toEqual([]);

    const large: string[] = [];
    const total = PROGRESS_THRESHOLD * 3;
    const loud = progressReporter((t) => large.push(t), false);
    for (let done = 1; done <= total; done += 1) loud.onProgress(progress(done, total));
    expect(large).toHaveLength(4);
    expect(large.at(-1)).toBe(`codegen: banking (${total}/${total} events)\n`);
  });
});

describe("checkSummary", () => {
  it("lists each drifted file with its kind", () => {
    const text = checkSummary({
      check: true,
      contexts: ["banking"],
      eventCount: 1,
      drift: [
        { path: "p/a.gen.ts", kind: "stale" },
        { path: "p/b.gen.ts", kind: "changed" },
      ],
      written: [],
      unchanged: [],
      stale: ["p/a.gen.ts"],
    });
    expect(text).toBe("codegen --check: 2 files out of date:\n  stale   p/a.gen.ts\n  changed p/b.gen.ts\nRun `pnpm strata codegen` and commit the result.\n");
  });
});
