import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// docs/observability.md shows the example; this keeps the two from drifting apart.
const example = readFileSync(new URL("./observability.example.int.test.ts", import.meta.url), "utf8");
const doc = readFileSync(new URL("../../../../docs/observability.md", import.meta.url), "utf8");

const sections = ["// 1. An SDK", "// 2. A command", "// 3. What was recorded."];

describe("docs/observability.md", () => {
  it.each(sections)("shows section %s of the example exactly as the tested file has it", (marker) => {
    const start = example.indexOf(marker);
    const next = sections[sections.indexOf(marker) + 1];
    const end = next === undefined ? example.indexOf("  await engine.close();") : example.indexOf(next);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(doc).toContain(example.slice(start, end).trimEnd());
  });
});
