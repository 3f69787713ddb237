/**
 * A proposal, measured in the benchmark suite: a concurrency limit that fits the link by
 * itself. It grows the requests in flight while that raises throughput, holds when more in
 * flight only queues at the server, and halves on 503 or 429. No part of the library uses
 * it; the suite wraps a `fetch` with it ({@link adaptiveFetch}, installed by
 * bench/adaptive_preload.ts) and raises the store's own bound out of its way.
 *
 * The rule (TCP Vegas applied to requests): by Little's law, throughput = in flight /
 * latency. While the link is the limit, latency stays at the round trip and throughput
 * grows with every request added; once the server is the limit, latency grows with every
 * request added and throughput does not. So for each window (the requests started under
 * the current limit, at least half a limit of them done) it takes the median latency `L`
 * against the least seen, `base`, and estimates the requests queued beyond the round trip,
 * `queued = limit × (1 − base / L)`:
 * - fewer than `alpha = 3·log10(limit)` queued: grow (double while it has never queued, else
 *   by a quarter);
 * - more than `beta = 6·log10(limit)`: shrink to `limit × base / L + alpha`;
 * - in between: hold.
 * A 503 or 429 halves the limit and ends the doubling. The limit stays in `[min, max]`.
 *
 * Caveats of the prototype: a request's slot is freed when its response headers arrive
 * (bodies of zarr chunks and small files follow within the same round trip); `base` is
 * the least latency ever seen (a path that gets slower for good would need it to expire).
 *
 * Imports: nothing.
 *
 * @module
 */

/** Options of {@link AdaptiveLimit}. */
export interface AdaptiveOptions {
  /** The limit to start at (default 16). */
  initial?: number;
  /** The least it goes down to (default 8). */
  min?: number;
  /** The most it goes up to (default 256). */
  max?: number;
}

/** A counting semaphore whose limit follows the latency of what it lets through. */
export class AdaptiveLimit {
  limit: number;
  readonly min: number;
  readonly max: number;
  /** The highest limit reached, and the changes made (for the report). */
  peak: number;
  readonly changes: { at: number; limit: number; why: string }[] = [];
  #running = 0;
  #waiting: (() => void)[] = [];
  #base = Infinity;
  #epoch = 0;
  #samples: number[] = [];
  #doubling = true;
  #started = performance.now();

  constructor(options: AdaptiveOptions = {}) {
    this.min = options.min ?? 8;
    this.max = options.max ?? 256;
    this.limit = this.peak = Math.min(this.max, Math.max(this.min, options.initial ?? 16));
  }

  /** Waits for a slot; answers the epoch the request starts in (hand it back to `release`). */
  async acquire(): Promise<number> {
    while (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    return this.#epoch;
  }

  /**
   * Frees a slot. `ms` is the request's latency (undefined when it failed before an
   * answer), `epoch` what `acquire` answered, `overloaded` whether it was a 503 or 429.
   */
  release(epoch: number, ms: number | undefined, overloaded: boolean): void {
    this.#running--;
    if (overloaded) {
      this.#set(Math.floor(this.limit / 2), "overloaded");
      this.#doubling = false;
    } else if (ms !== undefined) {
      this.#base = Math.min(this.#base, ms);
      if (epoch === this.#epoch) {
        this.#samples.push(ms);
        if (this.#samples.length >= Math.max(4, this.limit / 2)) this.#adjust();
      }
    }
    this.#wake();
  }

  #adjust(): void {
    const sorted = this.#samples.sort((a, b) => a - b);
    const latency = sorted[Math.floor(sorted.length / 2)];
    this.#samples = [];
    const queued = this.limit * (1 - this.#base / latency);
    const alpha = 3 * Math.log10(this.limit);
    const beta = 6 * Math.log10(this.limit);
    if (queued < alpha) {
      this.#set(this.#doubling ? this.limit * 2 : Math.ceil(this.limit * 1.25), "link-bound");
    } else if (queued > beta) {
      this.#doubling = false;
      this.#set(Math.floor(this.limit * this.#base / latency + alpha), "queueing");
    } else {
      this.#epoch++; // hold, and judge a fresh window
    }
  }

  #set(limit: number, why: string): void {
    const next = Math.min(this.max, Math.max(this.min, Math.round(limit)));
    this.#epoch++;
    this.#samples = [];
    if (next === this.limit) return;
    this.limit = next;
    this.peak = Math.max(this.peak, next);
    this.changes.push({ at: Math.round(performance.now() - this.#started), limit: next, why });
    this.#wake();
  }

  #wake(): void {
    while (this.#running < this.limit && this.#waiting.length) this.#waiting.shift()!();
  }
}

/**
 * `inner` under an adaptive limit: each request waits for a slot, and its latency (to its
 * response headers) and status feed the limit.
 *
 * @param inner The fetch to wrap.
 * @param limit The limit to share (one per account, as the store's limiter is).
 * @returns A fetch with the same contract.
 */
export function adaptiveFetch(inner: typeof fetch, limit: AdaptiveLimit): typeof fetch {
  return async (input, init) => {
    const epoch = await limit.acquire();
    const start = performance.now();
    let ms: number | undefined;
    let overloaded = false;
    try {
      const res = await inner(input, init);
      ms = performance.now() - start;
      overloaded = res.status === 503 || res.status === 429;
      return res;
    } finally {
      limit.release(epoch, ms, overloaded);
    }
  };
}
