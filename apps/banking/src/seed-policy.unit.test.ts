import { describe, expect, it } from "vitest";
import { shouldSeed } from "./seed-policy.js";

describe("seeding the demo data at start", () => {
  it("seeds a development start, and no other unless --seed", () => {
    expect(shouldSeed({ seed: false, noSeed: false, development: true })).toBe(true);
    expect(shouldSeed({ seed: false, noSeed: false, development: false })).toBe(false);
    expect(shouldSeed({ seed: true, noSeed: false, development: false })).toBe(true);
  });

  it("never seeds with --no-seed", () => {
    expect(shouldSeed({ seed: false, noSeed: true, development: true })).toBe(false);
    expect(shouldSeed({ seed: true, noSeed: true, development: false })).toBe(false);
  });
});
