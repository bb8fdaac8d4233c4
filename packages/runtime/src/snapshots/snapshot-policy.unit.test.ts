import { describe, expect, it } from "vitest";
import { shouldSnapshot } from "./snapshot-policy.js";

const input = { previousVersion: 0, newVersion: 1, snapshotVersion: 0, replayMs: 0 };

describe("shouldSnapshot", () => {
  it("never snapshots without thresholds", () => {
    expect(shouldSnapshot({}, { ...input, newVersion: 10_000, replayMs: 1e9 })).toBe(false);
  });

  it("snapshots every N events when the new version crosses a multiple of N, even with a multi-event append", () => {
    expect(shouldSnapshot({ everyEvents: 10 }, { ...input, previousVersion: 8, newVersion: 9 })).toBe(false);
    expect(shouldSnapshot({ everyEvents: 10 }, { ...input, previousVersion: 9, newVersion: 10 })).toBe(true);
    expect(shouldSnapshot({ everyEvents: 10 }, { ...input, previousVersion: 8, newVersion: 12 })).toBe(true);
    expect(shouldSnapshot({ everyEvents: 10 }, { ...input, previousVersion: 10, newVersion: 11, snapshotVersion: 10 })).toBe(false);
  });

  it("snapshots by replay cost: events since the last snapshot, or time spent replaying", () => {
    expect(shouldSnapshot({ maxEventsSinceSnapshot: 50 }, { ...input, previousVersion: 148, newVersion: 149, snapshotVersion: 100 })).toBe(false);
    expect(shouldSnapshot({ maxEventsSinceSnapshot: 50 }, { ...input, previousVersion: 149, newVersion: 150, snapshotVersion: 100 })).toBe(true);
    expect(shouldSnapshot({ maxReplayMs: 20 }, { ...input, replayMs: 19.9 })).toBe(false);
    expect(shouldSnapshot({ maxReplayMs: 20 }, { ...input, replayMs: 20 })).toBe(true);
  });
});
