/**
 * The retry policy every request of this library follows, in one place.
 *
 * - Only idempotent requests are retried: GET, HEAD, whole-object PUT, DELETE and
 *   bulk delete (its replay is safe: what is already gone is "not found").
 * - On no response (network error), a timeout, or one of the statuses
 *   {@link RETRY_STATUSES} (and a 422 ETag mismatch, which is corruption in transit).
 * - Capped exponential backoff with full jitter: a random delay in
 *   `[0, min(maxDelay, initialDelay * 2^n))` before retry `n + 1`.
 * - A wall-time budget (`maxRetryTime`, 60 s by default) as well as a count: a
 *   request retries while it has retries left and the next attempt would start
 *   within the budget, long enough to ride out a proxy restart or a failover.
 * - `Retry-After` (seconds or an HTTP date) is honoured; one longer than
 *   `maxRetryAfter` ends the retries.
 * - Delays are abortable by the caller's `AbortSignal`.
 *
 * @example Read a Retry-After header
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRetryAfter } from "@zarrswift/store";
 * assert.equal(parseRetryAfter("2"), 2000);
 * ```
 * @module
 */

import { IntegrityError, NetworkError, SwiftError, TimeoutError } from "../util/errors.ts";

/**
 * HTTP statuses worth another try: 408 (request timeout), 429 and 498 (rate
 * limited), 500, 502, 503, 504.
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 498, 500, 502, 503, 504]);

/**
 * What {@link RetryPolicy.onRetry} is told before each retry.
 *
 * @example Log every retry of a store
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RetryEvent, SwiftStore } from "@zarrswift/store";
 * const events: RetryEvent[] = [];
 * const store = await SwiftStore.open({ container: "docs-examples", onRetry: (e) => events.push(e) });
 * await store.get("/missing"); // a healthy server: no retry
 * assert.deepEqual(events, []);
 * ```
 */
export interface RetryEvent {
  /** Which retry this is: 1 for the first. */
  attempt: number;
  /** The most retries allowed. */
  retries: number;
  /** The request's method. */
  method: string;
  /** The request's `container/object` path. */
  path: string;
  /** The failure that caused the retry. */
  error: SwiftError;
  /** Milliseconds until the retry. */
  delay: number;
}

/**
 * How requests are retried and timed out. Every field is optional on
 * `SwiftStore.open`; the defaults are in {@link DEFAULT_RETRY_POLICY}.
 *
 * @example Settings for a job that must ride out long outages
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RetryPolicy } from "@zarrswift/store";
 * const patient: Partial<RetryPolicy> = { maxRetryTime: 10 * 60_000, timeout: 120_000, maxDelay: 30_000 };
 * assert.equal(patient.maxRetryTime, 600_000);
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt (default 20: the time budget usually ends them first). */
  retries: number;
  /** Milliseconds one attempt may take, body included (default 60,000; less than 2^31). Long
   * server-side operations that stream (bulk delete) count it from the last byte received. */
  timeout: number;
  /**
   * Milliseconds a request may spend retrying, from its first attempt (default 60,000):
   * no retry starts after that. Long enough by default to ride out a proxy restart.
   */
  maxRetryTime: number;
  /** Upper bound of the first backoff delay, in milliseconds (default 250). */
  initialDelay: number;
  /** Cap of any backoff delay, in milliseconds (default 8,000). */
  maxDelay: number;
  /** The longest `Retry-After` honoured, in milliseconds (default 60,000); a longer one ends the retries. */
  maxRetryAfter: number;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * The defaults: retries for up to 60 s (at most 20), 60 s timeout per attempt,
 * backoff from 250 ms capped at 8 s, `Retry-After` honoured up to 60 s.
 *
 * @example The time budget by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_RETRY_POLICY } from "@zarrswift/store";
 * assert.equal(DEFAULT_RETRY_POLICY.maxRetryTime, 60_000);
 * ```
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 20,
  timeout: 60_000,
  maxRetryTime: 60_000,
  initialDelay: 250,
  maxDelay: 8_000,
  maxRetryAfter: 60_000,
});

/** Fills in and checks a partial policy. */
export function retryPolicy(options: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options };
  for (
    const name of ["retries", "timeout", "maxRetryTime", "initialDelay", "maxDelay", "maxRetryAfter"] as const
  ) {
    const value = policy[name];
    if (typeof value !== "number" || !(value >= 0) || (name === "retries" && !Number.isInteger(value))) {
      throw new RangeError(
        `Expected ${name} to be a non-negative ${name === "retries" ? "integer" : "number"}, found ${value}`,
      );
    }
  }
  if (policy.timeout === 0) throw new RangeError("Expected timeout to be positive, found 0");
  // Timers take at most a signed 32-bit count of milliseconds: more fires at once.
  if (!(policy.timeout < 2 ** 31)) {
    throw new RangeError(`Expected timeout to be less than 2^31 ms (24.8 days), found ${policy.timeout}`);
  }
  if (policy.onRetry !== undefined && typeof policy.onRetry !== "function") {
    throw new TypeError(`Expected onRetry to be a function, found ${typeof policy.onRetry}`);
  }
  return policy;
}

/**
 * The full-jitter backoff before retry `n + 1` (`n` from 0): a random number of
 * milliseconds in `[0, min(maxDelay, initialDelay * 2^n))`.
 */
export function backoffDelay(
  n: number,
  policy: Pick<RetryPolicy, "initialDelay" | "maxDelay">,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelay, policy.initialDelay * 2 ** n);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date;
 * `undefined` when absent or unreadable; never negative.
 *
 * @param value The header's value (`null` or `undefined` when absent).
 * @param now The current time in ms since the epoch, for HTTP dates.
 * @returns Milliseconds to wait, or `undefined`.
 *
 * @example Seconds and dates
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRetryAfter } from "@zarrswift/store";
 * assert.equal(parseRetryAfter("1.5"), 1500);
 * const now = Date.parse("Wed, 21 Oct 2015 07:27:58 GMT");
 * assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), 2000);
 * assert.equal(parseRetryAfter("soon"), undefined);
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its month and zone ("Wed, 21 Oct 2015 07:28:00 GMT").
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Whether a failure is worth another try (for an idempotent request): no response,
 * a timeout, a corrupted transfer, or a status in {@link RETRY_STATUSES}.
 *
 * @param err The failure.
 * @returns Whether another attempt may succeed.
 *
 * @example A 503 is worth another try, a 403 is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRetriable, PermissionError, ServerError } from "@zarrswift/store";
 * assert.equal(isRetriable(new ServerError("Unavailable", { status: 503 })), true);
 * assert.equal(isRetriable(new PermissionError("Forbidden", { status: 403 })), false);
 * ```
 */
export function isRetriable(err: unknown): boolean {
  return err instanceof NetworkError || err instanceof TimeoutError || err instanceof IntegrityError ||
    (err instanceof SwiftError && err.status !== undefined && RETRY_STATUSES.has(err.status));
}

/**
 * Runs `attempt` until it succeeds, its failure is not retriable (`canRetry`), or
 * the policy's retries are spent; waits the backoff (or `Retry-After`) in between.
 * Only {@link SwiftError}s are retried; anything else (an abort) ends at once.
 */
export async function retrying<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (n: number) => Promise<T>,
  canRetry: (err: SwiftError) => boolean = isRetriable,
): Promise<T> {
  const started = Date.now();
  for (let n = 0;; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const delay = retryDelay(policy, n, err, started, canRetry);
      if (delay === undefined) throw err;
      await sleep(delay, signal);
    }
  }
}

/**
 * Whether the policy retries `err` after the `n`-th retry (from 0) of a request
 * that started at `started` (ms since the epoch): the delay to wait (`Retry-After`
 * or the backoff), reported to `onRetry`; `undefined` when the retries end.
 */
export function retryDelay(
  policy: RetryPolicy,
  n: number,
  err: unknown,
  started: number,
  canRetry: (err: SwiftError) => boolean = isRetriable,
): number | undefined {
  if (!(err instanceof SwiftError) || n >= policy.retries || !canRetry(err)) return undefined;
  if (err.retryAfter !== undefined && err.retryAfter > policy.maxRetryAfter) return undefined;
  const delay = err.retryAfter ?? backoffDelay(n, policy);
  if (Date.now() + delay - started > policy.maxRetryTime) return undefined;
  policy.onRetry?.({
    attempt: n + 1,
    retries: policy.retries,
    method: err.method ?? "",
    path: err.path ?? "",
    error: err,
    delay,
  });
  return delay;
}
