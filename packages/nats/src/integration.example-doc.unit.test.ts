import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// docs/integration.md shows the example; this keeps the two from drifting apart.
const example = readFileSync(new URL("./integration.example.int.test.ts", import.meta.url), "utf8");
const doc = readFileSync(new URL("../../../docs/integration.md", import.meta.url), "utf8");

const sections = ["// 1. The producer", "// 2. The consumer", "// 3. Both at work."];

describe("docs/integration.md", () => {
  it.each(sections)("shows section %s of the example exactly as the tested file has it", (marker) => {
    const start = example.indexOf(marker);
    const next = sections[sections.indexOf(marker) + 1];
    const end = next === undefined ? example.indexOf("  await consumer.stop();") : example.indexOf(next);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(doc).toContain(example.slice(start, end).trimEnd());
  });
});
