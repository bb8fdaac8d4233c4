/**
 * Buffers deliveries that arrive by callback, and hands out batches of whatever has arrived
 * (up to `max`). The channel's prefetch bounds how many can wait.
 */
export class DeliveryBuffer<T> {
  readonly #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }

  /** Ends waiting: `take` resolves `undefined` once the buffer is empty. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** Up to `max` items, waiting for at least one; `undefined` once closed. */
  async take(max: number): Promise<T[] | undefined> {
    while (this.#items.length === 0) {
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    if (this.#closed) return undefined;
    return this.#items.splice(0, max);
  }
}
