import fc from "fast-check";
import { expect, it } from "vitest";
import { isStrataError } from "../errors.js";
import { hasReached, parseWalPosition } from "./wal-position.js";

const lsn = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })).map(([high, low]) => ({
  text: `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`,
  value: (BigInt(high) << 32n) | BigInt(low),
}));

it("orders WAL positions as 64-bit numbers, not as text", () => {
  expect(hasReached("0/A000000", "0/9FFFFFF")).toBe(true);
  expect(hasReached("1/0", "0/FFFFFFFF")).toBe(true);
  expect(hasReached("0/FFFFFFFF", "1/0")).toBe(false);
  fc.assert(fc.property(lsn, lsn, (a, b) => hasReached(a.text, b.text) === a.value >= b.value && parseWalPosition(a.text) === a.value));
});

it("refuses text that is no WAL position", () => {
  for (const bad of ["", "0", "0/", "x/1", "1/2/3", "123456789/0"]) {
    let error: unknown;
    try {
      parseWalPosition(bad);
    } catch (caught) {
      error = caught;
    }
    expect(isStrataError(error, "INVALID_ARGUMENT")).toBe(true);
  }
});
