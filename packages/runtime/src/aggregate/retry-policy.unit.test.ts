import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-policy.js";

describe("retryDelayMs", () => {
  const policy = { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 100 };

  it("draws between 0 and an exponential bound capped at maxDelayMs (full jitter)", () => {
    expect([1, 2, 3, 4, 5, 8].map((retry) => retryDelayMs(policy, retry, () => 0.999_999))).toEqual([10, 20, 40, 80, 100, 100]);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it("spreads racing callers: 1000 draws for the same retry are not all equal", () => {
    const draws = new Set(Array.from({ length: 1000 }, () => retryDelayMs(policy, 4)));
    expect(draws.size).toBeGreaterThan(20);
    expect(Math.max(...draws)).toBeLessThanOrEqual(80);
  });
});
