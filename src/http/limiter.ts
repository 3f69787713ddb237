/**
 * A counting semaphore that bounds how many requests a store has in flight.
 * zarrita starts every chunk request at once; the limiter queues the excess in
 * arrival order.
 *
 * @module
 */

/** Runs async tasks with at most `limit` of them running at once. */
export class Limiter {
  /** The most tasks running at once. */
  readonly limit: number;
  #running = 0;
  #waiting: (() => void)[] = [];
  #head = 0;

  /** Creates a limiter; `limit` must be a positive integer. */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Expected concurrency to be a positive integer, found ${limit}`);
    }
    this.limit = limit;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `task` when a slot is free; the slot is held until its promise settles. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.#waiting.indexOf(wake, this.#head);
          if (index >= 0) this.#waiting.splice(index, 1);
          reject(signal!.reason);
        };
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#waiting.push(wake);
      });
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    if (this.#head < this.#waiting.length) {
      // Hand the slot straight to the next waiter: `running` stays the same.
      const next = this.#waiting[this.#head++];
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      next();
    } else {
      this.#running--;
    }
  }
}
