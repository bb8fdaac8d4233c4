import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { publishInStreamOrder } from "./publish-in-stream-order.js";

type Message = { readonly streamId: string; readonly n: number };

const batches = fc.array(fc.record({ streamId: fc.constantFrom("a", "b", "c", "d", "e"), delay: fc.integer({ min: 0, max: 3 }) }), { maxLength: 40 });

describe("publishInStreamOrder", () => {
  it("publishes each stream in order, one at a time per stream, at most maxInFlight at once", async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.integer({ min: 1, max: 6 }), async (items, maxInFlight) => {
        const messages: Message[] = items.map((item, n) => ({ streamId: item.streamId, n }));
        const started: Message[] = [];
        const inFlight = new Set<string>();
        let peak = 0;
        await publishInStreamOrder(messages, async (message) => {
          expect(inFlight.has(message.streamId)).toBe(false);
          inFlight.add(message.streamId);
          peak = Math.max(peak, inFlight.size);
          started.push(message);
          await new Promise((resolve) => setTimeout(resolve, items[message.n]?.delay ?? 0));
          inFlight.delete(message.streamId);
        }, maxInFlight);
        expect(peak).toBeLessThanOrEqual(maxInFlight);
        expect([...started].sort((x, y) => x.n - y.n)).toEqual(messages);
        for (const stream of ["a", "b", "c", "d", "e"]) {
          const order = started.filter((message) => message.streamId === stream).map((message) => message.n);
          expect(order).toEqual([...order].sort((x, y) => x - y));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("after a failure starts nothing more, lets the in-flight ones settle, then rejects with it", async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.integer({ min: 1, max: 6 }), fc.nat(), async (items, maxInFlight, pick) => {
        if (items.length === 0) return;
        const messages: Message[] = items.map((item, n) => ({ streamId: item.streamId, n }));
        const failing = pick % messages.length;
        const done: Message[] = [];
        let inFlight = 0;
        let failedAt = -1;
        const outcome = publishInStreamOrder(messages, async (message) => {
          expect(failedAt === -1 || false).toBe(true); // nothing starts after the failure
          inFlight += 1;
          await new Promise((resolve) => setTimeout(resolve, items[message.n]?.delay ?? 0));
          inFlight -= 1;
          if (message.n === failing) {
            failedAt = done.length;
            throw new Error("broker down");
          }
          done.push(message);
        }, maxInFlight);
        await expect(outcome).rejects.toThrow("broker down");
        expect(inFlight).toBe(0);
        // Nothing of the failing stream after the failing message went out.
        const stream = messages[failing]?.streamId;
        expect(done.some((message) => message.streamId === stream && message.n > failing)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
