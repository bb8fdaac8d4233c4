import { Mutex } from "../internal/mutex.js";

/**
 * One {@link Mutex} per key, dropped when its queue empties: inputs of one process run one at a
 * time, those of different processes may interleave.
 */
export class KeyedQueue {
  readonly #queues = new Map<string, { readonly mutex: Mutex; pending: number }>();

  /** Runs `task` after the tasks queued under `key` before it. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let entry = this.#queues.get(key);
    if (entry === undefined) {
      entry = { mutex: new Mutex(), pending: 0 };
      this.#queues.set(key, entry);
    }
    entry.pending += 1;
    try {
      return await entry.mutex.run(task);
    } finally {
      entry.pending -= 1;
      if (entry.pending === 0) this.#queues.delete(key);
    }
  }
}
