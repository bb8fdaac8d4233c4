import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// docs/integration.md shows the RabbitMQ example; this keeps the two from drifting apart.
const example = readFileSync(new URL("./integration.example.int.test.ts", import.meta.url), "utf8");
const doc = readFileSync(new URL("../../../docs/integration.md", import.meta.url), "utf8");

describe("docs/integration.md", () => {
  it("shows the RabbitMQ example exactly as the tested file has it", () => {
    const start = example.indexOf("// 4. With RabbitMQ");
    const end = example.indexOf("  await consumer.stop();");
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(doc).toContain(example.slice(start, end).trimEnd());
  });
});
