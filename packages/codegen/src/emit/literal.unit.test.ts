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

  it("keeps a __proto__ key as data instead of setting the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const printed = printLiteral(value);
    expect(printed).toBe('{ ["__proto__"]: { polluted: true }, a: 1 }');
    const back = evaluate(printed) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => printLiteral(Number.NaN)).toThrow(/non-finite/);
    expect(() => printLiteral(() => 1)).toThrow(/function/);
  });
});
