/**
 * A promise queue that runs one task at a time, in call order; the PGlite storage funnels every
 * call through one. (Hand-written: 15 lines do not justify a dependency.)
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
