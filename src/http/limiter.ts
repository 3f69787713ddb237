/**
 * A counting semaphore that bounds how many requests a store has in flight.
 * zarrita starts every chunk request at once; the limiter queues the excess in
 * arrival order.
 *
 * @module
 */

/**
 * Runs async tasks with at most `limit` of them running at once, queueing the rest
 * in arrival order.
 *
 * @example Bound work over many items
 * ```ts
 * import assert from "node:assert/strict";
 * import { Limiter } from "@zarrswift/store";
 * const limiter = new Limiter(2);
 * let running = 0, most = 0;
 * await limiter.each([1, 2, 3, 4, 5], async () => {
 *   most = Math.max(most, ++running);
 *   await new Promise((resolve) => setTimeout(resolve, 5));
 *   running--;
 * });
 * assert.equal(most, 2);
 * ```
 */
export class Limiter {
  /** The most tasks running at once. */
  readonly limit: number;
  #running = 0;
  #waiting: Waiter[] = [];
  #head = 0;
  /** Waiters by the signal that may cancel them: one abort listener per signal, not one per waiter. */
  #bySignal = new Map<AbortSignal, SignalWaiters>();

  /**
   * Creates a limiter.
   *
   * @param limit The most tasks running at once: a positive integer.
   */
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

  /**
   * Runs `task` when a slot is free; the slot is held until its promise settles.
   *
   * @param task The work to run.
   * @param signal Aborts the wait for a slot (not the task itself).
   * @returns What `task` answers.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#running >= this.limit) await this.#wait(signal);
    else this.#running++;
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  /**
   * Runs `task` for each item with at most `limit` running at once, taking the next
   * item only when a slot is free (so a generator of a million items is never read
   * ahead). After the first failure no new item is taken; the running tasks settle,
   * then that failure is thrown.
   *
   * @param items The items, possibly produced lazily.
   * @param task The work for one item.
   * @returns When every task has settled.
   */
  async each<T>(items: AsyncIterable<T> | Iterable<T>, task: (item: T) => Promise<void>): Promise<void> {
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for await (const item of items) {
      if (failure) break;
      const done: Promise<void> = this.run(() => task(item))
        .catch((error) => void (failure ??= { error }))
        .finally(() => running.delete(done));
      running.add(done);
      if (running.size >= this.limit) await Promise.race(running);
    }
    await Promise.all(running);
    if (failure) throw failure.error;
  }

  /** Queues for a slot; a slot handed over keeps `running` the same. */
  #wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { wake: resolve, cancel: reject, signal };
      this.#waiting.push(waiter);
      if (signal) this.#watch(signal).waiters.add(waiter);
    });
  }

  /** The waiters `signal` cancels, with the one listener that does it. */
  #watch(signal: AbortSignal): SignalWaiters {
    let entry = this.#bySignal.get(signal);
    if (entry) return entry;
    const waiters = new Set<Waiter>();
    const onAbort = () => {
      this.#bySignal.delete(signal);
      // Cancelled waiters stay in the queue, skipped when their turn comes.
      for (const w of waiters) {
        w.wake = undefined;
        w.cancel(signal.reason);
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    entry = { waiters, onAbort };
    this.#bySignal.set(signal, entry);
    return entry;
  }

  #release(): void {
    while (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head++];
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      if (!next.wake) continue; // cancelled while it waited
      if (next.signal) this.#forget(next, next.signal);
      // Hand the slot straight to the next waiter: `running` stays the same.
      next.wake();
      return;
    }
    this.#running--;
  }

  /** Drops `waiter` from its signal's set, and the signal's listener with the last one. */
  #forget(waiter: Waiter, signal: AbortSignal): void {
    // A waiter still to be woken is in its signal's set: an abort empties the set and cancels them all.
    const entry = this.#bySignal.get(signal)!;
    entry.waiters.delete(waiter);
    if (entry.waiters.size > 0) return;
    this.#bySignal.delete(signal);
    signal.removeEventListener("abort", entry.onAbort);
  }
}

/** A task waiting for a slot: `wake` is gone once it was cancelled. */
interface Waiter {
  wake: (() => void) | undefined;
  cancel: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

/** The waiters one signal cancels and its listener. */
interface SignalWaiters {
  waiters: Set<Waiter>;
  onAbort: () => void;
}
