/**
 * Turns a message iterator into batches of whatever has arrived: a reader task buffers messages
 * while the previous batch is being applied, and each batch takes up to `max` of them. Under load
 * batches fill up; when quiet, a single message goes through at once. The reader pauses while
 * `2 × max` messages wait (backpressure; the ordered consumer's flow control holds the rest on the
 * server). Used instead of the client's `getPending()`, which counts internal callbacks too.
 *
 * When the caller leaves early (a batch failed, or it stopped), `stopSource` is called before the
 * reader is awaited: the reader waits on the source for the next message, and a source that is
 * not stopped may not yield one for minutes (a quiet stream), which would hold up the caller's
 * error and its retry.
 */
export async function* drainInBatches<T>(source: AsyncIterable<T>, max: number, stopSource: () => void): AsyncGenerator<T[]> {
  const buffer: T[] = [];
  let ended = false;
  let stopped = false;
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const reader = (async () => {
    try {
      for await (const item of source) {
        buffer.push(item);
        wake?.();
        while (buffer.length >= max * 2 && !stopped) await new Promise<void>((resolve) => (resume = resolve));
        if (stopped) break;
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake?.();
    }
  })();
  try {
    for (;;) {
      if (buffer.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const batch = buffer.splice(0, max);
      resume?.();
      resume = undefined;
      yield batch;
    }
    if (failure !== undefined) throw failure.error;
  } finally {
    stopped = true;
    resume?.();
    if (!ended) stopSource();
    await reader;
  }
}
