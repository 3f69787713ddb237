/**
 * The request path every Swift call takes: bounded concurrency, credentials from the
 * provider, a per-request timeout, retries by the policy of `retry.ts`, one
 * re-authentication and replay after a 401, typed errors.
 *
 * @module
 */

import type { AuthProvider, Credentials } from "./auth.ts";
import {
  AuthError,
  ContainerNotFoundError,
  errorForStatus,
  NetworkError,
  SwiftError,
  TimeoutError,
} from "./errors.ts";
import { Limiter } from "./limiter.ts";
import { isRetriable, parseRetryAfter, retrying, type RetryPolicy, retryPolicy } from "./retry.ts";

/** One request to the account, below its storage URL. */
export interface SwiftRequest {
  /** HTTP method. */
  method: string;
  /** Encoded path below the storage URL: `""` (account), `/container` or `/container/object`. */
  path: string;
  /** Query string, with its `?`, or `""`. */
  query?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** A replayable body: bytes, text, or a function that opens the same stream anew for each attempt. */
  body?: Uint8Array<ArrayBuffer> | string | (() => ReadableStream<Uint8Array>);
  /** Aborts the request. */
  signal?: AbortSignal;
  /** The `container/object` path, decoded, for error messages. */
  target: string;
  /** Words for error messages, e.g. "Reading object". */
  what: string;
  /** Whether a replay is safe (default: GET, HEAD, PUT and DELETE are). */
  idempotent?: boolean;
  /** The server works long and streams while it does: time out only when it goes quiet. */
  streaming?: boolean;
}

/** What `read` is told about the attempt whose response it reads. */
export interface Attempt {
  /** An earlier attempt failed after it was sent, so it may have taken effect. */
  uncertain: boolean;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** Removes TempURL signatures from text that may quote a URL. */
export function redact(text: string): string {
  return text.replace(/(temp_url_sig=)[^&\s)"']*/gi, "$1[redacted]");
}

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
  /** Count the timeout from the last body chunk instead of from the start. */
  streaming?: boolean;
  /** The caller's signal. */
  signal?: AbortSignal;
}

/**
 * One HTTP exchange: `fetch`, then `read` on the response, both within the timeout.
 * A failure without a response becomes a {@link NetworkError} (or
 * {@link TimeoutError}); the caller's abort rethrows its reason; `SwiftError`s from
 * `read` pass through; anything else `read` throws (a body cut short, unreadable
 * JSON) is a `NetworkError`.
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
      res = new Response(
        timedBody(res.body, target.timeout, fire, (cause) => failure(cause, "the body was cut short")),
        {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        },
      );
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

/** A client for one account: it owns the concurrency bound, the retry policy and the auth provider. */
export class SwiftClient {
  /** The concurrency bound shared by every request of this client. */
  readonly limiter: Limiter;
  /** How requests are retried and timed out. */
  readonly policy: RetryPolicy;
  #auth: AuthProvider;
  #fetch: typeof fetch;

  /** Creates a client; `fetch` defaults to the global one. */
  constructor(
    auth: AuthProvider,
    options: { concurrency: number; fetch?: typeof fetch; retry?: Partial<RetryPolicy> },
  ) {
    this.#auth = auth;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.limiter = new Limiter(options.concurrency);
    this.policy = retryPolicy(options.retry);
  }

  /** The provider's current credentials. */
  credentials(signal?: AbortSignal): Promise<Credentials> {
    return this.#auth.credentials(signal);
  }

  /**
   * Sends `req` within the concurrency bound and hands the response to `read`, which
   * must consume or cancel its body and throw the typed error for a failure. An
   * {@link AuthError} with status 401 makes the provider re-authenticate and the
   * request replay at once (a second one in a row counts as a retry); retriable
   * failures of idempotent requests are retried by the policy. `beforeAttempt`
   * runs before each attempt (to reset per-attempt state such as a hash).
   */
  request<T>(
    req: SwiftRequest,
    read: (res: Response, attempt: Attempt) => Promise<T>,
    beforeAttempt?: () => Promise<void>,
  ): Promise<T> {
    const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
    return this.limiter.run(async () => {
      let creds = await this.#auth.credentials(req.signal);
      let refreshes = 0;
      const attempt: Attempt = { uncertain: false };
      const once = async (): Promise<T> => {
        for (;;) {
          try {
            await beforeAttempt?.();
            return await this.#send(req, creds, (res) => read(res, attempt));
          } catch (err) {
            if (
              err instanceof NetworkError || err instanceof TimeoutError || (err as SwiftError).status! >= 500
            ) {
              attempt.uncertain = true;
            }
            if (!(err instanceof AuthError) || err.status !== 401) throw err;
            const fresh = await this.#auth.refresh(creds, req.signal);
            if (fresh === undefined) {
              throw new AuthError(
                `${err.message}; ${this.#auth.cannotRefresh ?? "these credentials cannot be renewed here"}`,
                { status: err.status, method: err.method, path: err.path },
              );
            }
            creds = fresh;
            // The first refresh replays at once; a 401 right after a new login (a token
            // store restarting) is retried with backoff like any other failure.
            if (refreshes++ > 0) throw err;
          }
        }
      };
      return await retrying(
        this.policy,
        req.signal,
        once,
        (err) => idempotent && (isRetriable(err) || (err instanceof AuthError && refreshes > 1)),
      );
    }, req.signal);
  }

  #send<T>(req: SwiftRequest, creds: Credentials, read: (res: Response) => Promise<T>): Promise<T> {
    const headers: Record<string, string> = { ...req.headers };
    if (creds.token !== undefined) headers["X-Auth-Token"] = creds.token;
    const query = creds.query ? `${req.query ? `${req.query}&` : "?"}${creds.query}` : req.query ?? "";
    return exchange(
      this.#fetch,
      creds.storageUrl + req.path + query,
      typeof req.body === "function"
        // Streamed uploads: fetch needs `duplex` in Node (Deno and Bun ignore it).
        ? { method: req.method, headers, body: req.body(), duplex: "half" } as RequestInit
        : { method: req.method, headers, body: req.body },
      {
        method: req.method,
        what: req.what,
        target: req.target,
        timeout: this.policy.timeout,
        streaming: req.streaming,
        signal: req.signal,
      },
      read,
    );
  }
}

/**
 * Throws the typed error for a response that is not 2xx, after reading a short part
 * of its body for the message. `notFound` picks the class for a 404.
 */
export async function throwForStatus(
  res: Response,
  req: { method: string; target: string; what: string },
  notFound: typeof SwiftError = ContainerNotFoundError,
): Promise<never> {
  let detail: string | undefined;
  try {
    const text = (await res.text()).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    detail = text ? redact(text.slice(0, 200)) : undefined;
  } catch {
    // The body is only for the message.
  }
  throw errorForStatus(
    res.status,
    res.statusText,
    {
      method: req.method,
      path: req.target,
      what: req.what,
      detail,
      retryAfter: parseRetryAfter(res.headers.get("Retry-After")),
    },
    notFound,
  );
}

/** Reads a response body as bytes without copying. */
export async function readBytes(res: Response): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await res.arrayBuffer());
}
