/**
 * Runs tasks one at a time per key (stream id), in call order, and forgets a key once its queue
 * drains. Commands on one stream from one process would only race each other into conflicts and
 * retries; queueing them leaves optimistic concurrency to writers in other processes.
 *
 * @module
 */

/** A queue per key. */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** Creates an empty keyed queue. (Hand-written: a dozen lines do not justify a dependency.) */
export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
