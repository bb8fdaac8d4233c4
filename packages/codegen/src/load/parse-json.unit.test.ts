import { describe, expect, it } from "vitest";
import { parseJson } from "./parse-json.js";

describe("parseJson", () => {
  it("parses JSON and ignores a byte-order mark", () => {
    expect(parseJson('\uFEFF{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
  });

  it.each([
    ['{"a": }', 1, 7],
    ['{\n  "a": 1,\n}', 3, 1],
    ["", 1, 1],
    ['{"a": 1 // note\n}', 1, 9],
    ['[1,\n 2\n 3]', 3, 2],
  ])("locates the first error in %j at line %i, column %i", (text, line, column) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`line ${line}, column ${column}`);
  });
});
