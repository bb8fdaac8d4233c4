import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { printLiteral } from "./literal.js";

/** Evaluates a printed literal (test only: the input is our own output). */
function evaluate(source: string): unknown {
  return new Function(`return (${source});`)() as unknown;
}

describe("printLiteral", () => {
  it("prints JSON data as an expression that evaluates back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(evaluate(printLiteral(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("leaves identifier keys bare and quotes the others", () => {
    expect(printLiteral({ op: "rename", "a-b": 1, __proto__x: [true, null] })).toBe('{ op: "rename", "a-b": 1, __proto__x: [true, null] }');
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => printLiteral(Number.NaN)).toThrow(/non-finite/);
    expect(() => printLiteral(() => 1)).toThrow(/function/);
  });
});
