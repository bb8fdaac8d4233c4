import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { decodeSnapshotState, encodeSnapshotState } from "./snapshot-codec.js";

describe("snapshot codec", () => {
  it("round-trips states holding bigint, Date, Map, Set, undefined and nesting", () => {
    const leaf = fc.oneof(
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
      fc.string(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object"), tie("map"), tie("set")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((key) => key !== "__proto__"), tie("value"), { maxKeys: 4, noNullPrototype: true }),
      map: fc.array(fc.tuple(fc.string({ maxLength: 3 }), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
      set: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 4 }).map((items) => new Set(items)),
    }));
    fc.assert(
      fc.property(value, (state) => {
        expect(isDeepStrictEqual(decodeSnapshotState(encodeSnapshotState(state)), state)).toBe(true);
      }),
    );
  });

  it("rejects bytes that are not a superjson document", () => {
    expect(() => decodeSnapshotState(new Uint8Array([0xc3, 0x28]))).toThrow(TypeError);
    expect(() => decodeSnapshotState(new TextEncoder().encode("{"))).toThrow(SyntaxError);
    expect(() => decodeSnapshotState(new TextEncoder().encode('"plain"'))).toThrow(/not a superjson document/);
  });
});
