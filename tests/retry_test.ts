/** Pure logic of the retry policy: backoff, Retry-After, abortable delays, the loop. */
import assert from "node:assert/strict";
import {
  DEFAULT_RETRY_POLICY,
  IntegrityError,
  isRetriable,
  NetworkError,
  parseRetryAfter,
  PermissionError,
  RateLimitError,
  type RetryEvent,
  ServerError,
  SwiftError,
  TimeoutError,
} from "../mod.ts";
import { backoffDelay, retrying, retryPolicy, sleep } from "../src/http/retry.ts";

Deno.test("backoffDelay: full jitter below a capped exponential ceiling", () => {
  const policy = { initialDelay: 100, maxDelay: 1000 };
  const ceilings = [100, 200, 400, 800, 1000, 1000, 1000];
  for (const [n, ceiling] of ceilings.entries()) {
    assert.equal(backoffDelay(n, policy, () => 0), 0);
    assert.equal(backoffDelay(n, policy, () => 0.5), ceiling / 2);
    assert.equal(backoffDelay(n, policy, () => 0.999999), ceiling - 1);
  }
  // With the real random source every delay stays in [0, ceiling).
  for (let i = 0; i < 1000; i++) {
    const n = i % 8;
    const d = backoffDelay(n, policy);
    assert.ok(d >= 0 && d < Math.min(1000, 100 * 2 ** n), `${d} for n=${n}`);
  }
});

Deno.test("parseRetryAfter: seconds, HTTP dates, garbage", () => {
  assert.equal(parseRetryAfter("0"), 0);
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(" 1.5 "), 1500);
  const now = Date.parse("Tue, 24 Nov 2026 05:00:00 GMT");
  assert.equal(parseRetryAfter("Tue, 24 Nov 2026 05:00:07 GMT", now), 7000);
  assert.equal(parseRetryAfter("Tue, 24 Nov 2026 04:59:00 GMT", now), 0, "a date in the past means now");
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
  assert.equal(parseRetryAfter("-5"), undefined);
});

Deno.test("sleep is abortable and cleans up its timer", async () => {
  const controller = new AbortController();
  const started = performance.now();
  const pending = sleep(10_000, controller.signal);
  setTimeout(() => controller.abort(new Error("stop")), 20);
  await assert.rejects(pending, /stop/);
  assert.ok(performance.now() - started < 5000);
  await assert.rejects(sleep(10, AbortSignal.abort(new Error("already"))), /already/);
  await sleep(1);
});

Deno.test("isRetriable: no response, timeouts, corruption and the retry statuses only", () => {
  assert.ok(isRetriable(new NetworkError("x")));
  assert.ok(isRetriable(new TimeoutError("x")));
  assert.ok(isRetriable(new IntegrityError("x", { status: 422 })));
  for (const status of [408, 429, 498, 500, 502, 503, 504]) {
    assert.ok(isRetriable(new SwiftError("x", { status })));
  }
  for (const status of [400, 401, 403, 404, 409, 412, 413, 416, 501]) {
    assert.ok(!isRetriable(new SwiftError("x", { status })), String(status));
  }
  assert.ok(!isRetriable(new Error("x")));
});

Deno.test("retrying: retries by the policy, reports each retry, honours Retry-After", async () => {
  const events: RetryEvent[] = [];
  const policy = retryPolicy({ retries: 3, initialDelay: 1, maxDelay: 4, onRetry: (e) => events.push(e) });
  let calls = 0;
  const result = await retrying(policy, undefined, () => {
    calls++;
    if (calls < 3) throw new ServerError("down", { status: 503, method: "GET", path: "c/o" });
    return Promise.resolve("done");
  });
  assert.equal(result, "done");
  assert.equal(calls, 3);
  assert.deepEqual(events.map((e) => [e.attempt, e.retries, e.method, e.path, e.error.status]), [
    [1, 3, "GET", "c/o", 503],
    [2, 3, "GET", "c/o", 503],
  ]);

  // Out of retries: the last error is thrown.
  calls = 0;
  await assert.rejects(
    retrying(policy, undefined, () => {
      calls++;
      throw new NetworkError("refused");
    }),
    NetworkError,
  );
  assert.equal(calls, 4);

  // Not retriable: thrown at once.
  calls = 0;
  await assert.rejects(
    retrying(policy, undefined, () => {
      calls++;
      throw new PermissionError("no", { status: 403 });
    }),
    PermissionError,
  );
  assert.equal(calls, 1);

  // Retry-After is the delay; one longer than maxRetryAfter ends the retries.
  events.length = 0;
  calls = 0;
  await retrying({ ...policy, maxRetryAfter: 100 }, undefined, () => {
    if (calls++ === 0) throw new RateLimitError("slow", { status: 429, retryAfter: 30 });
    return Promise.resolve();
  });
  assert.equal(events[0].delay, 30);
  calls = 0;
  await assert.rejects(
    retrying({ ...policy, maxRetryAfter: 100 }, undefined, () => {
      calls++;
      throw new RateLimitError("slow", { status: 429, retryAfter: 5000 });
    }),
    RateLimitError,
  );
  assert.equal(calls, 1);
});

Deno.test("retrying: an abort during the backoff ends at once with the abort reason", async () => {
  const controller = new AbortController();
  const policy = retryPolicy({ retries: 5, initialDelay: 60_000, maxDelay: 60_000 });
  const started = performance.now();
  setTimeout(() => controller.abort(new Error("cancelled by caller")), 30);
  await assert.rejects(
    retrying(policy, controller.signal, () => {
      throw new ServerError("down", { status: 503 });
    }, () => true),
    /cancelled by caller/,
  );
  assert.ok(performance.now() - started < 10_000);
});

Deno.test("retryPolicy: defaults and validation", () => {
  assert.deepEqual(retryPolicy(), { ...DEFAULT_RETRY_POLICY });
  // Issue 14: by default a request rides out a proxy restart (a time budget of 60 s,
  // at most 20 retries) instead of giving up after 5 retries in 1–8 s.
  assert.equal(DEFAULT_RETRY_POLICY.retries, 20);
  assert.equal(DEFAULT_RETRY_POLICY.maxRetryTime, 60_000);
  assert.equal(DEFAULT_RETRY_POLICY.timeout, 60_000);
  assert.throws(() => retryPolicy({ retries: -1 }), /retries to be a non-negative integer/);
  assert.throws(() => retryPolicy({ retries: 1.5 }), RangeError);
  assert.throws(() => retryPolicy({ timeout: 0 }), /timeout to be positive/);
  assert.throws(() => retryPolicy({ maxDelay: Number.NaN }), RangeError);
});
