/**
 * {@link SwiftClient}: the request path every Swift call takes. Bounded concurrency,
 * credentials from the provider, a per-request timeout, retries by the policy of
 * `retry.ts`, one re-authentication and replay after a 401, MD5 `ETag`s for bodies,
 * typed errors, and the read-only guard: a client opened read-only refuses every
 * method but GET and HEAD before anything is sent.
 *
 * @module
 */

import type { AuthProvider, Credentials } from "../auth/provider.ts";
import { AuthError, NetworkError, ReadOnlyError, type SwiftError, TimeoutError } from "../util/errors.ts";
import { createMd5, md5Hex, type Md5Stream } from "../util/md5.ts";
import { exchange } from "./exchange.ts";
import { Limiter } from "./limiter.ts";
import { type ConnectionOptions, fetchOf, policyOf } from "./options.ts";
import type { ReadContext, Reader } from "./response.ts";
import { isRetriable, retrying, type RetryPolicy } from "./retry.ts";

/** A replayable request body: bytes, text, or a function that opens the same stream anew for each attempt. */
export type RequestBody = Uint8Array<ArrayBuffer> | string | (() => ReadableStream<Uint8Array>);

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
  /** The body. */
  body?: RequestBody;
  /**
   * Hash the body: bytes are sent with `ETag: <md5>` (Swift refuses a body that does
   * not match), streams are hashed on the way and the digest handed to the reader.
   */
  md5?: boolean;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** The `container/object` path, decoded, for error messages. */
  target: string;
  /** Words for error messages, e.g. "Reading object". */
  what: string;
  /** Whether a replay is safe (default: GET, HEAD, PUT and DELETE are). */
  idempotent?: boolean;
  /** The server works long and streams while it does: time each read of the body, not the whole. */
  streaming?: boolean;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const READS = new Set(["GET", "HEAD"]);

/** A client for one account: it owns the concurrency bound, the retry policy and the auth provider. */
export class SwiftClient {
  /** The concurrency bound shared by every request of this client. */
  readonly limiter: Limiter;
  /** How requests are retried and timed out. */
  readonly policy: RetryPolicy;
  /** Whether every method but GET and HEAD is refused. */
  readonly readOnly: boolean;
  #readOnlyWhy: string;
  /** The `fetch` every request of this client goes through. */
  readonly fetch: typeof fetch;
  #auth: AuthProvider;

  /** Creates a client; nothing is sent. */
  constructor(
    auth: AuthProvider,
    options: ConnectionOptions & { readOnly?: boolean; readOnlyWhy?: string } = {},
    concurrency = 32,
  ) {
    this.#auth = auth;
    this.fetch = fetchOf(options);
    this.limiter = new Limiter(options.concurrency ?? concurrency);
    this.policy = policyOf(options);
    this.readOnly = options.readOnly ?? false;
    this.#readOnlyWhy = options.readOnlyWhy ?? "one opened with readOnly: true";
  }

  /**
   * The read-only guard, the one place writes are refused: throws a
   * {@link ReadOnlyError} for any method but GET and HEAD on a read-only client.
   * Operations of several requests call it before their first one.
   */
  checkWritable(req: { method: string; what: string; target: string }): void {
    if (this.readOnly && !READS.has(req.method)) {
      throw new ReadOnlyError(
        `Expected a writable store for ${req.what.toLowerCase()} ${req.target}, found ${this.#readOnlyWhy}`,
        { method: req.method, path: req.target },
      );
    }
  }

  /** The provider's current credentials. */
  credentials(signal?: AbortSignal): Promise<Credentials> {
    return this.#auth.credentials(signal);
  }

  /**
   * Sends `req` within the concurrency bound and hands the response to `read`. An
   * {@link AuthError} with status 401 makes the provider re-authenticate and the
   * request replay at once (a second one in a row counts as a retry); retriable
   * failures of idempotent requests are retried by the policy.
   */
  request<T>(req: SwiftRequest, read: Reader<T>): Promise<T> {
    if (this.readOnly && !READS.has(req.method)) {
      return Promise.reject(
        new ReadOnlyError(
          `Expected a writable store for ${req.what.toLowerCase()} ${req.target}, found ${this.#readOnlyWhy}`,
          {
            method: req.method,
            path: req.target,
          },
        ),
      );
    }
    const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
    return this.limiter.run(async () => {
      let creds = await this.#auth.credentials(req.signal);
      let refreshes = 0;
      const ctx: ReadContext = { req, uncertain: false };
      // Hashed once a request slot is ours, so that a burst of writes (zarrita starts one
      // per chunk at once) sends its first requests at once instead of after every hash.
      if (req.md5 && req.body instanceof Uint8Array) {
        req.headers = { ...req.headers, ETag: await md5Hex(req.body) };
      }
      const once = async (): Promise<T> => {
        for (;;) {
          try {
            return await this.#send(req, creds, ctx, read);
          } catch (err) {
            if (
              err instanceof NetworkError || err instanceof TimeoutError || (err as SwiftError).status! >= 500
            ) {
              ctx.uncertain = true;
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

  async #send<T>(req: SwiftRequest, creds: Credentials, ctx: ReadContext, read: Reader<T>): Promise<T> {
    const headers: Record<string, string> = { ...req.headers };
    if (creds.token !== undefined) headers["X-Auth-Token"] = creds.token;
    const query = creds.query ? `${req.query ? `${req.query}&` : "?"}${creds.query}` : req.query ?? "";
    let body: BodyInit | undefined;
    let hasher: Md5Stream | undefined;
    if (typeof req.body === "function") {
      hasher = req.md5 ? await createMd5() : undefined;
      body = hasher ? req.body().pipeThrough(hashing(hasher)) : req.body();
      ctx.sentMd5 = hasher ? () => hasher!.digest() : undefined;
    } else body = req.body;
    return await exchange(
      this.fetch,
      creds.storageUrl + req.path + query,
      // Streamed uploads: fetch needs `duplex` in Node (Deno and Bun ignore it).
      { method: req.method, headers, body, ...(typeof req.body === "function" ? { duplex: "half" } : {}) },
      {
        method: req.method,
        what: req.what,
        target: req.target,
        timeout: this.policy.timeout,
        streaming: req.streaming,
        signal: req.signal,
      },
      (res) => read(res, ctx),
    );
  }
}

/** Passes chunks through, feeding each to `hasher`. */
function hashing(hasher: Md5Stream): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, out) {
      hasher.update(chunk);
      out.enqueue(chunk);
    },
  });
}
