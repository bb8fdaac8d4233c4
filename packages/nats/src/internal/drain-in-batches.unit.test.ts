import { describe, expect, it } from "vitest";
import { drainInBatches } from "./drain-in-batches.js";

/** A source like a JetStream consumer on a quiet stream: `items`, then nothing until stopped. */
function quietSource(items: readonly number[]): { readonly source: AsyncIterable<number>; readonly stop: () => void; readonly stopped: () => boolean } {
  let stop: () => void = () => undefined;
  let stopped = false;
  const ended = new Promise<void>((resolve) => {
    stop = () => {
      stopped = true;
      resolve();
    };
  });
  async function* generate(): AsyncGenerator<number> {
    yield* items;
    await ended;
  }
  return { source: generate(), stop, stopped: () => stopped };
}

describe("drainInBatches", () => {
  it("hands over what has arrived, at most `max` at a time, in order", async () => {
    const quiet = quietSource([1, 2, 3, 4, 5]);
    const seen: number[][] = [];
    for await (const batch of drainInBatches(quiet.source, 2, quiet.stop)) {
      seen.push(batch);
      if (seen.flat().length === 5) break;
    }
    expect(seen.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((batch) => batch.length <= 2)).toBe(true);
  });

  it("stops the source when the caller leaves early, instead of waiting for its next message", async () => {
    const quiet = quietSource([1, 2, 3]);
    const batches = drainInBatches(quiet.source, 10, quiet.stop);
    expect((await batches.next()).value).toEqual(expect.arrayContaining([1]));
    // A failed batch leaves the loop: the generator's cleanup must finish although the source is quiet.
    await batches.return(undefined);
    expect(quiet.stopped()).toBe(true);
  });

  it("ends without stopping a source that ended by itself", async () => {
    async function* finite(): AsyncGenerator<number> {
      yield* [1, 2, 3];
    }
    let stopped = false;
    const seen: number[] = [];
    for await (const batch of drainInBatches(finite(), 2, () => (stopped = true))) seen.push(...batch);
    expect(seen).toEqual([1, 2, 3]);
    expect(stopped).toBe(false);
  });
});
