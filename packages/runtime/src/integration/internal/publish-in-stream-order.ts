/**
 * Publishes a batch so that the broker receives each stream's events in stream order even when a
 * publish fails half-way: a stream's next event goes out only after the broker confirmed the
 * previous one. Pipelining a stream (sending k+1 before k is confirmed) would be faster, but if k
 * is lost in a broker restart while k+1 is stored, the retry stores k after k+1, and deduplication
 * cannot repair the order. Different streams proceed concurrently, at most `maxInFlight` publishes
 * at a time (the backpressure bound).
 */

/** What is published: anything with a stream id. */
interface Keyed {
  readonly streamId: string;
}

/**
 * Publishes every message; resolves when all are confirmed. On the first failure no further
 * publish starts; it rejects with that failure once every publish already in flight has settled,
 * so nothing of the batch is still in flight when the caller retries it.
 */
export async function publishInStreamOrder<M extends Keyed>(messages: readonly M[], publish: (message: M) => Promise<void>, maxInFlight: number): Promise<void> {
  const lanes = new Map<string, M[]>();
  for (const message of messages) {
    const lane = lanes.get(message.streamId);
    if (lane === undefined) lanes.set(message.streamId, [message]);
    else lane.push(message);
  }
  const queue = [...lanes.values()];
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < queue.length) {
      const lane = queue[next++] as M[];
      for (const message of lane) {
        if (failure !== undefined) return;
        try {
          await publish(message);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxInFlight, queue.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
