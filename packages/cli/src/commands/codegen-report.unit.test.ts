import { describe, expect, it, vi } from "vitest";

import { checkSummary, notices, progressReporter, PROGRESS_THRESHOLD } from "./codegen-report.js";

const progress = (done: number, total: number) => ({ context: "banking", event: `E${done}`, done, total });

// The command in messages follows npm_config_user_agent; these tests speak for pnpm unless they stub it.
vi.stubEnv("npm_config_user_agent", "pnpm/10.34.9 npm/? node/v22.23.5");

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
      leftovers: [],
      warnings: [],
    });
    expect(text).toBe("codegen --check: 2 files out of date:\n  stale   p/a.gen.ts\n  changed p/b.gen.ts\nRun `pnpm strata codegen` and commit the result.\n");
  });

  it.each([
    ["npm/10.9.0 node/v22.23.5", "npx strata codegen"],
    ["yarn/1.22.22 npm/? node/v22.23.5", "yarn strata codegen"],
  ])("spells the command for the package manager that ran strata (%s)", (agent, command) => {
    vi.stubEnv("npm_config_user_agent", agent);
    const result = { drift: [{ path: "p/b.gen.ts", kind: "changed" }], written: [], unchanged: [], stale: [], leftovers: [], warnings: [] };
    expect(checkSummary(result as never)).toContain(`Run \`${command}\``);
    vi.unstubAllEnvs();
  });
});

describe("notices", () => {
  const base = { check: false, contexts: ["banking"], eventCount: 1, drift: [], written: [], unchanged: [], stale: [] } as const;

  it("says nothing when there are no warnings or leftovers", () => {
    expect(notices({ ...base, leftovers: [], warnings: [] })).toBe("");
  });

  it("names the file of every unfilled upcaster and leftover", () => {
    const text = notices({
      ...base,
      warnings: [{ path: "packages/x/src/upcasters/a.v1-to-v2.ts", code: "unfilled-upcaster", message: "A v1→v2 is still the scaffold" }],
      leftovers: [{ path: "packages/old-events", kind: "stale-package", detail: "context old was removed" }],
    });
    expect(text).toContain("codegen: warning: packages/x/src/upcasters/a.v1-to-v2.ts: A v1→v2 is still the scaffold");
    expect(text).toContain("codegen: stale-package packages/old-events: context old was removed");
  });
});
