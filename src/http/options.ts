/**
 * {@link ConnectionOptions}: the one shape of connection settings that stores,
 * accounts and auth providers take (concurrency, `fetch`, retries, timeout, backoff),
 * and how they become a retry policy.
 *
 * @module
 */

import { type RetryEvent, type RetryPolicy, retryPolicy } from "./retry.ts";

/**
 * How requests are sent: the `fetch` to use, how many at once, and how they are
 * retried and timed out. Stores, accounts and auth providers take the same fields;
 * a store passes its own to the provider it builds from the environment, so an
 * injected `fetch` reaches every request, logins included.
 *
 * @example Patient settings for a slow link
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ConnectionOptions } from "@zarrswift/store";
 * const options: ConnectionOptions = { concurrency: 8, retries: 10, timeout: 120_000, backoff: { maxDelay: 30_000 } };
 * assert.equal(options.concurrency, 8);
 * ```
 */
export interface ConnectionOptions {
  /** The most requests in flight at once (default 64 for stores, 8 for accounts; logins are one at a time). */
  concurrency?: number;
  /** The `fetch` to send requests with (default: the global one). */
  fetch?: typeof fetch;
  /** Retries of a failed idempotent request (default 20; the time budget usually ends them first). */
  retries?: number;
  /** Milliseconds one attempt may take, body included (default 60,000; less than 2^31). */
  timeout?: number;
  /**
   * Milliseconds a request may spend retrying from its first attempt (default
   * 60,000): long enough to ride out a proxy restart; failures that cannot heal (403,
   * 404, 413, 416, a 401 after a new login) end at once whatever the budget.
   */
  maxRetryTime?: number;
  /** Called before each retry, for logging or metrics. */
  onRetry?: (event: RetryEvent) => void;
  /** Backoff tuning: first delay ceiling, cap, longest `Retry-After` honoured (ms). */
  backoff?: Partial<Pick<RetryPolicy, "initialDelay" | "maxDelay" | "maxRetryAfter">>;
}

/** Every field of {@link ConnectionOptions}: the compiler checks the list is complete. */
const CONNECTION_FIELDS: Record<keyof ConnectionOptions, true> = {
  concurrency: true,
  fetch: true,
  retries: true,
  timeout: true,
  maxRetryTime: true,
  onRetry: true,
  backoff: true,
};

/** The names of {@link ConnectionOptions}' fields. */
export const CONNECTION_OPTION_NAMES: readonly string[] = Object.keys(CONNECTION_FIELDS);

/** Only the {@link ConnectionOptions} fields of `options`. */
export function connectionOf(options: ConnectionOptions): ConnectionOptions {
  const picked: Record<string, unknown> = {};
  for (const name of CONNECTION_OPTION_NAMES) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked as ConnectionOptions;
}

/**
 * The retry policy of `options`; `legacy` is the older `retry: Partial<RetryPolicy>`
 * form of the providers, which the flat fields override.
 */
export function policyOf(options: ConnectionOptions, legacy: Partial<RetryPolicy> = {}): RetryPolicy {
  return retryPolicy({
    ...legacy,
    ...options.backoff,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.maxRetryTime === undefined ? {} : { maxRetryTime: options.maxRetryTime }),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  });
}

/** The `fetch` of `options`, or one that calls the global `fetch` at call time. */
export function fetchOf(options: ConnectionOptions): typeof fetch {
  return options.fetch ?? ((input, init) => fetch(input, init));
}

/** Refuses option names outside `allowed` (a typo would otherwise be ignored); `what` names them ("SwiftStore options"). */
export function checkOptionNames(options: object, allowed: Iterable<string>, what: string): void {
  const known = new Set(allowed);
  const unknown = Object.keys(options ?? {}).filter((name) => !known.has(name));
  if (unknown.length) {
    throw new TypeError(`Expected ${what} among ${[...known].join(", ")}, found ${unknown.join(", ")}`);
  }
}
