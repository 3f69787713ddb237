/**
 * {@link OutageGate}: shared backoff while the server is down. After a few failures
 * in a row that say the server is unreachable or overloaded (no answer, a timeout,
 * 502, 503, 504), the gate closes: new requests and retries wait here instead of
 * each hammering a recovering server. One probe at a time goes out, spaced by a
 * growing delay; the first answer opens the gate for everyone. Requests waiting
 * here hold no concurrency slot.
 *
 * @module
 */

import { NetworkError, ServerError, type SwiftError, TimeoutError } from "../util/errors.ts";
import type { RetryPolicy } from "./retry.ts";

/** Outage failures in a row (with no success between) that close the gate. */
const STREAK = 3;
/** The longest wait between two probes, in milliseconds. */
const PROBE_CAP = 2000;

/** Whether `err` says the server is unreachable or overloaded, not that this one request failed. */
export function isOutage(err: unknown): boolean {
  return err instanceof NetworkError || err instanceof TimeoutError ||
    (err instanceof ServerError && (err.status === 502 || err.status === 503 || err.status === 504));
}

/** Shared backoff for the requests of one client. */
export class OutageGate {
  #policy: RetryPolicy;
  #streak = 0;
  #down = false;
  #probing = false;
  #failedProbes = 0;
  #nextProbe = 0;
  #downSince = 0;
  #lastOutage: unknown;
  #wake = new Set<() => void>();

  /** A gate whose probes are spaced by the policy's backoff (`initialDelay`, `maxDelay`). */
  constructor(policy: RetryPolicy) {
    this.#policy = policy;
  }

  /** Whether the server is taken to be down. */
  get down(): boolean {
    return this.#down;
  }

  /** Since when (ms since the epoch) the server is taken to be down, and the last failure that said so. */
  get outage(): { since: number; error: unknown } {
    return { since: this.#downSince, error: this.#lastOutage };
  }

  /**
   * Waits until a request may send an attempt. Answers `"go"`, or `"probe"` when the
   * gate is closed and this attempt is the one probe; `"late"` when `deadline` (ms
   * since the epoch) passes first. Rejects with the signal's reason on abort.
   */
  async admit(signal: AbortSignal | undefined, deadline: number): Promise<"go" | "probe" | "late"> {
    while (this.#down) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (!this.#probing && now >= this.#nextProbe) {
        this.#probing = true;
        return "probe";
      }
      if (now >= deadline) return "late";
      const until = this.#probing ? deadline : Math.min(deadline, this.#nextProbe);
      await this.#wait(until - now, signal);
    }
    return "go";
  }

  /**
   * Records an answer (to the probe when `probe`). Only the probe's answer opens the
   * gate: requests sent before it closed may still be answered by a server going
   * down (a proxy finishing its requests in flight while refusing new ones).
   */
  success(probe: boolean): void {
    if (!this.#down) this.#streak = 0;
    else if (probe) this.#open();
  }

  /** Records a failure (of the probe when `probe`); outage failures in a row close the gate. */
  failure(err: SwiftError | unknown, probe: boolean): void {
    if (!isOutage(err)) {
      // The server answered: it is up, whatever this request's trouble.
      this.success(probe);
      return;
    }
    this.#streak++;
    this.#lastOutage = err;
    if (probe) {
      this.#probing = false;
      this.#nextProbe = Date.now() + this.#delay(this.#failedProbes++);
      this.#notify();
    } else if (!this.#down && this.#streak >= STREAK) {
      this.#down = true;
      this.#downSince = Date.now();
      this.#failedProbes = 0;
      this.#nextProbe = Date.now() + this.#delay(this.#failedProbes++);
    }
  }

  /**
   * Half the capped exponential ceiling, plus up to as much again at random. A probe is
   * one request, so probes stay at most 2 s apart: a server that is back is seen soon.
   */
  #delay(n: number): number {
    const ceiling = Math.min(this.#policy.maxDelay, PROBE_CAP, this.#policy.initialDelay * 2 ** n);
    return Math.floor(ceiling / 2 + Math.random() * ceiling / 2);
  }

  #open(): void {
    this.#down = false;
    this.#streak = 0;
    this.#probing = false;
    this.#failedProbes = 0;
    this.#notify();
  }

  #notify(): void {
    for (const wake of this.#wake) wake();
    this.#wake.clear();
  }

  #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(done);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#wake.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
