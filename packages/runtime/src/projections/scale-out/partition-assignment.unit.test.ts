import fc from "fast-check";
import { expect, it } from "vitest";
import { assignedPartitions } from "./partition-assignment.js";

it("gives every partition to exactly one live worker, shares differing by at most one, whatever the list order", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), (partitions, workers) => {
      const shares = workers.map((worker) => assignedPartitions(partitions, workers, worker));
      const reversed = [...workers].reverse();
      expect(workers.map((worker) => assignedPartitions(partitions, reversed, worker))).toEqual(shares);
      expect(shares.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, p) => p));
      const sizes = shares.map((share) => share.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }),
  );
  expect(assignedPartitions(4, ["a", "b"], "c")).toEqual([]);
});
