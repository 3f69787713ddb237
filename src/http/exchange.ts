/**
 * One HTTP exchange: `fetch`, then a reader on the response, within a timeout.
 * Failures without a response become typed errors; streamed bodies are timed per
 * read, so a slow consumer never times out and nothing stays armed once the body
 * ends.
 *
 * @module
 */

import { NetworkError, SwiftError, TimeoutError } from "../util/errors.ts";
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
}

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
  const signal = target.signal ? AbortSignal.any([target.signal, controller.signal]) : controller.signal;
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
    const reason = redact(cause instanceof Error ? cause.message : String(cause));
    return new NetworkError(`${target.what} ${target.target} failed: ${stage} (${reason})`, details);
  };
  try {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal });
    } catch (cause) {
      throw failure(cause, "no response from the server");
    }
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
      );
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
  }
}

/**
 * `body` re-emitted chunk by chunk, with a timer armed for each read from the
 * network (`fire` aborts the request when it runs out) and cleared as soon as the
 * read settles, the consumer cancels, or the body ends. Read errors become the
 * typed error `failure` builds.
 */
function timedBody(
  body: ReadableStream<Uint8Array>,
  timeout: number,
  fire: () => void,
  failure: (cause: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const timer = setTimeout(fire, timeout);
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (cause) {
        controller.error(failure(cause));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
