import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// docs/aggregates.md shows the bank-account example; this keeps the two from drifting apart.
const example = readFileSync(new URL("./bank-account.example.int.test.ts", import.meta.url), "utf8");
const doc = readFileSync(new URL("../../../../docs/aggregates.md", import.meta.url), "utf8");

const sections = ["// 1. Events.", "// 2. The decider", "// 3. Unit tests", "// 4. Commands"];

describe("docs/aggregates.md", () => {
  it.each(sections)("shows section %s of the example exactly as the tested file has it", (marker) => {
    const start = example.indexOf(marker);
    const next = sections[sections.indexOf(marker) + 1];
    const end = next === undefined ? example.length : example.indexOf(next);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(doc).toContain(example.slice(start, end).trimEnd());
  });
});
