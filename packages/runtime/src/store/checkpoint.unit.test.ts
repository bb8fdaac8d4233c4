import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCheckpointParts, decodeCheckpoint, encodeCheckpoint, horizonCheckpoint, START } from "./checkpoint.js";

const xid = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const position = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });

describe("checkpoints", () => {
  it("round-trip through their string form", () => {
    fc.assert(
      fc.property(xid, position, (transactionId, pos) => {
        const decoded = decodeCheckpoint(encodeCheckpoint(transactionId.toString(), pos));
        expect(decoded).toEqual({ transactionId: transactionId.toString(), position: pos.toString() });
      }),
    );
  });

  it("order by transaction id first, then position", () => {
    fc.assert(
      fc.property(xid, position, xid, position, (x1, p1, x2, p2) => {
        const expected = x1 === x2 ? Math.sign(Number(p1 - p2)) : x1 < x2 ? -1 : 1;
        const a = decodeCheckpoint(encodeCheckpoint(x1.toString(), p1));
        const b = decodeCheckpoint(encodeCheckpoint(x2.toString(), p2));
        expect(compareCheckpointParts(a, b)).toBe(expected);
      }),
    );
  });

  it("places the horizon checkpoint after every event of an older transaction and before any newer one", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n }), position, (horizon, pos) => {
        const ceiling = horizonCheckpoint(horizon.toString());
        expect(compareCheckpointParts(ceiling, { transactionId: (horizon - 1n).toString(), position: pos.toString() })).toBeGreaterThanOrEqual(0);
        expect(compareCheckpointParts(ceiling, { transactionId: horizon.toString(), position: "0" })).toBe(-1);
      }),
    );
  });

  it("starts before everything and rejects strings it did not produce", () => {
    expect(decodeCheckpoint(undefined)).toEqual(START);
    for (const bad of ["", "1", "1:", ":1", "01:1", "1:01", "-1:2", "1:2:3", "a:b", "1:9223372036854775808", "18446744073709551616:1", " 1:1"]) {
      expect(() => decodeCheckpoint(bad)).toThrow(expect.objectContaining({ code: "INVALID_CHECKPOINT" }));
    }
  });
});
