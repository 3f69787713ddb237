/**
 * One HTTP exchange: `fetch`, then a reader on the response, within a timeout.
 * Failures without a response become typed errors; streamed bodies are timed per
 * read, so a slow consumer never times out and nothing stays armed once the body
 * ends.
 *
 * @module
 */

import { NetworkError, RedirectError, SwiftError, TimeoutError } from "../util/errors.ts";
import { redact } from "../util/redact.ts";

/** Where an exchange goes and how it is described in errors. */
export interface ExchangeTarget {
  /** HTTP method. */
  method: string;
  /** What is being done, for messages ("Reading object"). */
  what: string;
  /** The path for messages (`container/object`, or an auth URL). */
  target: string;
  /** Milliseconds before the exchange times out. */
  timeout: number;
  /** Count the timeout per read of the body instead of for the whole exchange. */
  streaming?: boolean;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** Secrets the request carries, kept out of every message. */
  secrets?: readonly string[];
  /**
   * Redirects to follow (GET and HEAD only, for requests that carry no secret); any
   * other 3xx, or one past this many hops, is a {@link RedirectError}. Default 0.
   */
  follow?: number;
}

/** Anonymous reads (shared links, public containers, `/info`) follow at most this many redirects. */
export const MAX_REDIRECTS = 5;

/**
 * Sends one request and hands the response to `read`, within the timeout. A failure
 * without a response becomes a {@link NetworkError} (or {@link TimeoutError}); the
 * caller's abort rethrows its reason; `SwiftError`s from `read` pass through;
 * anything else `read` throws (a body cut short, unreadable JSON) is a `NetworkError`.
 */
export async function exchange<T>(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  target: ExchangeTarget,
  read: (res: Response) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const fire = () => {
    timedOut = true;
    controller.abort();
  };
  const timer = setTimeout(fire, target.timeout);
  // The caller's abort reaches the request through one listener, removed when the
  // exchange (or a streamed body) is done: cheaper than AbortSignal.any per request,
  // and nothing stays attached to a job's long-lived signal.
  const outer = target.signal;
  const onAbort = () => controller.abort(outer!.reason);
  let detach = () => outer?.removeEventListener("abort", onAbort);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener("abort", onAbort, { once: true });
  const failure = (cause: unknown, stage: string): unknown => {
    if (target.signal?.aborted) return target.signal.reason;
    const details = { method: target.method, path: target.target };
    if (timedOut) {
      return new TimeoutError(
        `${target.what} ${target.target} timed out after ${target.timeout} ms${
          target.streaming ? " without progress" : ""
        }`,
        details,
      );
    }
    const reason = redact(cause instanceof Error ? cause.message : String(cause), target.secrets);
    return new NetworkError(`${target.what} ${target.target} failed: ${stage} (${reason})`, details);
  };
  try {
    let res = await fetchFollowing(doFetch, url, { ...init, signal: controller.signal }, target, failure);
    if (target.streaming && res.body) {
      // From here on, time only the waits for the network: each read of the body gets
      // the full timeout, and nothing is armed while the consumer holds a chunk or
      // after the body ended, failed or was cancelled.
      clearTimeout(timer);
      const body = timedBody(
        res.body,
        target.timeout,
        fire,
        (cause) => failure(cause, "the body was cut short"),
        detach,
      );
      // The body outlives the exchange: the caller's abort stays attached until it ends.
      detach = () => {};
      res = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    }
    try {
      return await read(res);
    } catch (err) {
      if (err instanceof SwiftError) throw err;
      throw failure(err, "the response was cut short or unreadable");
    }
  } finally {
    clearTimeout(timer);
    detach();
  }
}

/**
 * `fetch` without letting it follow redirects: a 3xx is followed here only when
 * `target.follow` allows it (same method, GET or HEAD, at most that many hops);
 * otherwise it is a {@link RedirectError} naming the status and the origin it
 * pointed to, so that no header or body ever reaches a place it was not meant for.
 */
async function fetchFollowing(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  target: ExchangeTarget,
  failure: (cause: unknown, stage: string) => unknown,
): Promise<Response> {
  const follow = ["GET", "HEAD"].includes(target.method) ? target.follow ?? 0 : 0;
  for (let hops = 0, at = url;; hops++) {
    let res: Response;
    try {
      res = await doFetch(at, { ...init, redirect: "manual" });
    } catch (cause) {
      throw failure(cause, "no response from the server");
    }
    if (res.type === "opaqueredirect" && follow > 0) {
      // A browser hides where a redirect points: let it follow (no secret is sent).
      try {
        return await doFetch(at, { ...init, redirect: "follow" });
      } catch (cause) {
        throw failure(cause, "no response from the server");
      }
    }
    const redirected = res.type === "opaqueredirect" ||
      (res.status >= 300 && res.status < 400 && res.status !== 304);
    if (!redirected) return res;
    await res.body?.cancel().catch(() => {});
    const location = res.headers.get("Location");
    let next: URL | undefined;
    try {
      next = location === null ? undefined : new URL(location, at);
    } catch {
      next = undefined;
    }
    if (next && hops < follow) {
      at = next.href;
      continue;
    }
    const where = next ? next.origin : "a location it did not say";
    const why = follow > 0
      ? `more than ${follow} redirects`
      : "requests that carry credentials are never sent on";
    throw new RedirectError(
      `${target.what} ${target.target} was redirected (${res.status || "3xx"}) to ${where}: ${why}`,
      { status: res.status || undefined, method: target.method, path: target.target },
    );
  }
}

/**
 * `body` re-emitted chunk by chunk, with a timer armed for each read from the
 * network (`fire` aborts the request when it runs out) and cleared as soon as the
 * read settles, the consumer cancels, or the body ends. Read errors become the
 * typed error `failure` builds; `done` runs once the body ended, failed or was
 * cancelled.
 */
function timedBody(
  body: ReadableStream<Uint8Array>,
  timeout: number,
  fire: () => void,
  failure: (cause: unknown) => unknown,
  done: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const timer = setTimeout(fire, timeout);
      try {
        const read = await reader.read();
        if (read.done) {
          done();
          controller.close();
        } else controller.enqueue(read.value);
      } catch (cause) {
        done();
        controller.error(failure(cause));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
