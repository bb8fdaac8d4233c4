/**
 * The storable-value rules against an independent oracle, over arbitrary Unicode (code units, so
 * lone surrogates and U+0000 occur) and arbitrary doubles (non-finite, huge, -0).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findUnstorableValues, isStorableText } from "./storable-values.js";

/** A string survives UTF-8 and has no NUL: exactly what text and jsonb hold. */
const oracleText = (text: string): boolean => !text.includes("\u0000") && Buffer.from(text, "utf8").toString("utf8") === text;
/** A number JSON and a double carry exactly, and whose integer value stays exact. */
const oracleNumber = (value: number): boolean => Number.isFinite(value) && Math.abs(value) <= 2 ** 53 - 1;

const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string({ unit: fc.constantFrom("\u0000", "\uD800", "\uDC00", "a", "😀") }));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(2 ** 53 - 1, 2 ** 53, -(2 ** 53), 9007199254740993, 1e20, -0, Infinity, NaN));

describe("storable values", () => {
  it("refuse a string exactly when UTF-8 or PostgreSQL cannot hold it", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(isStorableText(value)).toBe(oracleText(value));
        expect(findUnstorableValues(value).length === 0).toBe(oracleText(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuse a number exactly when it is not finite or beyond ±(2^53−1)", () => {
    fc.assert(
      fc.property(number, (value) => {
        expect(findUnstorableValues(value).length === 0).toBe(oracleNumber(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("find every bad leaf and key of a nested value, with its path", () => {
    const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(text, tie("node"), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const expected: string[] = [];
        const walk = (current: unknown, path: readonly PropertyKey[]): void => {
          if (typeof current === "string" && !oracleText(current)) expected.push(JSON.stringify(path));
          else if (typeof current === "number" && !oracleNumber(current)) expected.push(JSON.stringify(path));
          else if (Array.isArray(current)) current.forEach((item: unknown, index) => walk(item, [...path, index]));
          else if (typeof current === "object" && current !== null) {
            for (const [key, item] of Object.entries(current)) {
              if (!oracleText(key)) expected.push(JSON.stringify([...path, key]));
              walk(item, [...path, key]);
            }
          }
        };
        walk(value, []);
        const found = findUnstorableValues(value).map((issue) => JSON.stringify(issue.path));
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 500 },
    );
  });

  it("names the rule, never the value", () => {
    const [issue] = findUnstorableValues({ name: "secret\u0000value" });
    expect(issue?.path).toEqual(["name"]);
    expect(issue?.message).not.toContain("secret");
    expect(findUnstorableValues({ big: 10n })[0]?.path).toEqual(["big"]);
    expect(findUnstorableValues({ when: new Date(0) })).toEqual([]);
  });
});
