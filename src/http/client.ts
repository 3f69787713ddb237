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
import {
  AuthError,
  NetworkError,
  ReadOnlyError,
  ServerError,
  type SwiftError,
  TimeoutError,
} from "../util/errors.ts";
import { createMd5, md5Hex, type Md5Stream } from "../util/md5.ts";
import { exchange, MAX_REDIRECTS } from "./exchange.ts";
import { Limiter } from "./limiter.ts";
import { type ConnectionOptions, fetchOf, policyOf } from "./options.ts";
import type { ReadContext, Reader } from "./response.ts";
import { OutageGate } from "./gate.ts";
import { retryDelay, type RetryPolicy, sleep } from "./retry.ts";

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
/** What an attempt answers when the outage gate closed while it waited for a slot. */
const GATE_CLOSED: unique symbol = Symbol("gate closed");

/** Milliseconds before a second login when a fresh token was refused. */
const RELOGIN_PAUSE = 500;
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
  #gate: OutageGate;

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
    this.#gate = new OutageGate(this.policy);
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
   * Sends `req` and hands the response to `read`. Each attempt holds a slot of the
   * concurrency bound; waits between attempts (backoff, `Retry-After`, a closed
   * outage gate) hold none. A 401 makes the provider log in again and the request
   * replay at once; a 401 to a fresh token gets one more login after a pause (a
   * token store that restarted may have lost the first) and then fails. Retriable
   * failures of idempotent requests are retried by the policy: count and time budget.
   */
  async request<T>(req: SwiftRequest, read: Reader<T>): Promise<T> {
    this.checkWritable(req);
    const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
    const started = Date.now();
    const ctx: ReadContext = { req, uncertain: false, secrets: [] };
    let creds: Credentials | undefined;
    let logins = 0;
    let lastError: unknown;
    for (let retries = 0;;) {
      const admitted = await this.#gate.admit(req.signal, started + this.policy.maxRetryTime);
      if (admitted === "late") throw lastError ?? this.#unreachable(req);
      try {
        const result = await this.limiter.run(async () => {
          // The gate may have closed while this request queued for a slot: back to the gate.
          if (this.#gate.down && admitted !== "probe") return GATE_CLOSED;
          creds ??= await this.#auth.credentials(req.signal);
          ctx.secrets = [...(creds.token === undefined ? [] : [creds.token]), ...secretHeaders(req.headers)];
          // Hashed once a request slot is ours, so that a burst of writes (zarrita starts one
          // per chunk at once) sends its first requests at once instead of after every hash.
          if (req.md5 && req.body instanceof Uint8Array && req.headers?.ETag === undefined) {
            req.headers = { ...req.headers, ETag: await md5Hex(req.body) };
          }
          return await this.#send(req, creds, ctx, read);
        }, req.signal);
        if (result === GATE_CLOSED) continue;
        this.#gate.success(admitted === "probe");
        return result;
      } catch (err) {
        lastError = err;
        this.#gate.failure(err, admitted === "probe");
        if (
          err instanceof NetworkError || err instanceof TimeoutError || (err as SwiftError).status! >= 500
        ) {
          ctx.uncertain = true;
        }
        if (err instanceof AuthError && err.status === 401 && creds !== undefined) {
          creds = await this.#relogin(err, creds, logins++, req.signal);
          continue;
        }
        const delay = idempotent ? retryDelay(this.policy, retries++, err, started) : undefined;
        if (delay === undefined) throw err;
        // While the outage gate is closed it paces every request: no backoff of our own on top.
        if (!this.#gate.down) await sleep(delay, req.signal);
      }
    }
  }

  /**
   * New credentials after `rejected` got a 401: the provider's shared login. The
   * second time in one request (the fresh token was refused too) it waits a moment
   * first; the third time it gives up.
   */
  async #relogin(
    err: AuthError,
    rejected: Credentials,
    done: number,
    signal?: AbortSignal,
  ): Promise<Credentials> {
    const fresh = done < 2
      ? await sleep(done === 0 ? 0 : RELOGIN_PAUSE, signal).then(() => this.#auth.refresh(rejected, signal))
      : undefined;
    if (fresh === undefined) {
      const why = done >= 2
        ? "a fresh token was refused too"
        : this.#auth.cannotRefresh ?? "these credentials cannot be renewed here";
      throw new AuthError(`${err.message}; ${why}`, {
        status: err.status,
        method: err.method,
        path: err.path,
      });
    }
    return fresh;
  }

  /** The error of a request that never got to the server while the outage gate was closed. */
  #unreachable(req: SwiftRequest): SwiftError {
    const { since, error } = this.#gate.outage;
    const seconds = Math.round((Date.now() - since) / 1000);
    const cause = error instanceof Error ? `: ${error.message}` : "";
    const details = { method: req.method, path: req.target };
    return error instanceof ServerError
      ? new ServerError(
        `${req.what} ${req.target} was not sent: the server has failed for ${seconds} s${cause}`,
        {
          ...details,
          status: error.status,
        },
      )
      : new NetworkError(
        `${req.what} ${req.target} was not sent: no answer from the server for ${seconds} s${cause}`,
        details,
      );
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
        secrets: ctx.secrets,
        // Only requests that carry no secret may follow a redirect.
        follow: creds.token === undefined ? MAX_REDIRECTS : 0,
      },
      (res) => read(res, ctx),
    );
  }
}

/** The values of headers that carry a secret (TempURL keys), to keep out of every message. */
function secretHeaders(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {}).filter(([name]) => /temp-url-key/i.test(name)).map(([, value]) =>
    value
  );
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
