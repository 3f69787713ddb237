/**
 * A proposal, measured in the benchmark suite: a concurrency limit that fits the link by
 * itself. It grows the requests in flight while that raises throughput, holds once more in
 * flight only queues at the server, and halves on 503 or 429. No part of the library uses
 * it; the suite wraps a `fetch` with it ({@link adaptiveFetch}, installed by
 * bench/adaptive_preload.ts) and raises the store's own bound out of its way.
 *
 * The rule (TCP BBR's, applied to requests): by Little's law the requests a link holds are
 * throughput × round trip. Each answer gives a delivery-rate sample: the answers that came
 * in while it was out, over the time it was out. The limit is `gain × rate × latency`
 * (gain 2), with `rate` the highest sample of the last 10 least latencies (at least the
 * last second) and `latency` the least seen, within `[min, max]`. While the link is the
 * limit the rate doubles with the limit, so the limit doubles each round trip; once the
 * server is the limit the rate stops growing and so does the limit, at twice the link's
 * share. Latency that grows because the machine is busy (not because of our requests)
 * does not shrink it, as a latency rule would.
 *
 * A 503 or 429 halves the limit (once a round trip) and caps it there; the cap then grows
 * by one each round trip without another, so that a server with a fixed bound settles
 * just under it. Under a cap the limit may go below `min`.
 *
 * `min` defaults to 32, today's fixed default, so that where 32 serves (the loopback,
 * short links) nothing changes; the gain is on long links.
 *
 * Caveats of the prototype: a request's slot is freed when its response headers arrive
 * (bodies of zarr chunks and small files follow within the same round trip); the least
 * latency is the least ever seen (a path that gets slower for good would need it to expire).
 *
 * Imports: nothing.
 *
 * @module
 */

/** Options of {@link AdaptiveLimit}. */
export interface AdaptiveOptions {
  /** The least it goes down to without a 503 or 429, and where it starts (default 32). */
  min?: number;
  /** The most it goes up to (default 256). */
  max?: number;
  /** In flight as a multiple of rate × least latency (default 2). */
  gain?: number;
}

/** A ticket of one request: what was delivered when it left, and when. */
export interface Ticket {
  delivered: number;
  sent: number;
}

/** A counting semaphore whose limit follows the delivery rate and latency of what it lets through. */
export class AdaptiveLimit {
  limit: number;
  readonly min: number;
  readonly max: number;
  readonly gain: number;
  /** The highest limit reached, and the changes made (for the report). */
  peak: number;
  readonly changes: { at: number; limit: number; why: string }[] = [];
  #running = 0;
  #waiting: (() => void)[] = [];
  #delivered = 0;
  #latency = Infinity;
  /** Rate samples (per ms) with their times, decreasing in rate: a sliding-window maximum. */
  #rates: { at: number; rate: number }[] = [];
  #cap = Infinity;
  #cut = -Infinity;
  #capGrown = -Infinity;
  readonly #started = performance.now();

  constructor(options: AdaptiveOptions = {}) {
    this.min = options.min ?? 32;
    this.max = options.max ?? 256;
    this.gain = options.gain ?? 2;
    this.limit = this.peak = this.min;
  }

  /** Waits for a slot; answers the request's ticket. */
  async acquire(): Promise<Ticket> {
    if (this.#running < this.limit) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over
    return { delivered: this.#delivered, sent: performance.now() };
  }

  /**
   * Frees the slot of `ticket`. `answered` is whether an answer came (not a network
   * failure), `overloaded` whether it was a 503 or 429.
   */
  release(ticket: Ticket, answered: boolean, overloaded: boolean): void {
    const now = performance.now();
    this.#running--;
    if (overloaded) {
      // One cut a round trip: the answers to a burst all say the same.
      if (now - this.#cut > Math.max(this.#latency, 1)) {
        this.#cut = this.#capGrown = now;
        this.#cap = Math.max(1, Math.floor(this.limit / 2));
        this.#set(this.#cap, "overloaded");
      }
    } else if (answered) {
      const ms = now - ticket.sent;
      this.#delivered++;
      this.#latency = Math.min(this.#latency, ms);
      this.#sample(now, (this.#delivered - ticket.delivered) / Math.max(ms, 0.001));
      if (this.#cap < Infinity && now - this.#capGrown > this.#latency) {
        this.#cap++;
        this.#capGrown = now;
      }
      const rate = this.#rates[0].rate;
      this.#set(Math.min(this.gain * rate * this.#latency, this.#cap), "rate × latency");
    }
    this.#wake();
  }

  #sample(now: number, rate: number): void {
    const rates = this.#rates;
    while (rates.length && rates[rates.length - 1].rate <= rate) rates.pop();
    rates.push({ at: now, rate });
    const horizon = Math.max(1000, 10 * this.#latency);
    while (rates[0].at < now - horizon) rates.shift();
  }

  #set(limit: number, why: string): void {
    const floor = Math.min(this.min, this.#cap);
    const next = Math.min(this.max, Math.max(floor, Math.ceil(limit)));
    if (next === this.limit) return;
    this.limit = next;
    this.peak = Math.max(this.peak, next);
    this.changes.push({ at: Math.round(performance.now() - this.#started), limit: next, why });
  }

  #wake(): void {
    while (this.#running < this.limit && this.#waiting.length) {
      this.#running++;
      this.#waiting.shift()!();
    }
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
    const ticket = await limit.acquire();
    let answered = false;
    let overloaded = false;
    try {
      const res = await inner(input, init);
      answered = true;
      overloaded = res.status === 503 || res.status === 429;
      return res;
    } finally {
      limit.release(ticket, answered, overloaded);
    }
  };
}
