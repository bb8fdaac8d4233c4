import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "./content-hash.js";

/** Rebuilds every object of `value` with its keys in a shuffled order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    const shuffled = entries.map((e, i) => ({ e, k: (i * 7919 + seed) % (entries.length + 1) })).sort((a, b) => a.k - b.k);
    return Object.fromEntries(shuffled.map(({ e: [k, v] }, i) => [k, reorder(v, seed + i)]));
  }
  return value;
}

describe("contentHash", () => {
  it("is stable under key reordering and whitespace", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const reordered = reorder(value, seed);
        expect(contentHash(reordered)).toBe(contentHash(value));
        expect(contentHash(JSON.parse(JSON.stringify(value, null, 3)))).toBe(contentHash(value));
      }),
    );
  });

  it("changes when any value changes", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (value, key) => {
        const changed = { ...value, [key]: { changed: [value[key] ?? null] } };
        expect(contentHash(changed)).not.toBe(contentHash(value));
      }),
    );
  });

  it("writes canonical JSON with sorted keys and no whitespace", () => {
    expect(canonicalJson({ b: [1, { d: null, c: "x" }], a: true })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
    expect(contentHash({})).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
