/**
 * The request path every Swift call takes: bounded concurrency, credentials from the
 * provider, one re-authentication and replay after a 401, typed errors.
 *
 * @module
 */

import type { AuthProvider, Credentials } from "./auth.ts";
import {
  AuthError,
  ContainerNotFoundError,
  errorForStatus,
  NetworkError,
  type SwiftError,
} from "./errors.ts";
import { Limiter } from "./limiter.ts";

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
  /** A replayable body. */
  body?: Uint8Array<ArrayBuffer> | string;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** The `container/object` path, decoded, for error messages. */
  target: string;
  /** Words for error messages, e.g. "Reading object". */
  what: string;
}

/** Removes TempURL signatures from text that may quote a URL. */
export function redact(text: string): string {
  return text.replace(/(temp_url_sig=)[^&\s)"']*/gi, "$1[redacted]");
}

/** A client for one account: it owns the concurrency bound and the auth provider. */
export class SwiftClient {
  /** The concurrency bound shared by every request of this client. */
  readonly limiter: Limiter;
  #auth: AuthProvider;
  #fetch: typeof fetch;

  /** Creates a client; `fetch` defaults to the global one. */
  constructor(auth: AuthProvider, options: { concurrency: number; fetch?: typeof fetch }) {
    this.#auth = auth;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.limiter = new Limiter(options.concurrency);
  }

  /** The provider's current credentials. */
  credentials(signal?: AbortSignal): Promise<Credentials> {
    return this.#auth.credentials(signal);
  }

  /**
   * Sends `req` within the concurrency bound and hands the response to `read`, which
   * must consume or cancel its body. An {@link AuthError} from `read` (a 401) makes the
   * provider re-authenticate once and the request replay.
   */
  request<T>(req: SwiftRequest, read: (res: Response) => Promise<T>): Promise<T> {
    return this.limiter.run(async () => {
      let creds = await this.#auth.credentials(req.signal);
      for (let attempt = 0;; attempt++) {
        const res = await this.#send(req, creds);
        try {
          return await read(res);
        } catch (err) {
          if (!(err instanceof AuthError) || attempt > 0) throw err;
          const fresh = await this.#auth.refresh(creds, req.signal);
          if (fresh === undefined) {
            throw new AuthError(
              `${err.message}; the pre-authenticated token has expired or is invalid and cannot be renewed here: get a new one`,
              { status: err.status, method: err.method, path: err.path },
            );
          }
          creds = fresh;
        }
      }
    }, req.signal);
  }

  async #send(req: SwiftRequest, creds: Credentials): Promise<Response> {
    const headers: Record<string, string> = { ...req.headers };
    if (creds.token !== undefined) headers["X-Auth-Token"] = creds.token;
    try {
      return await this.#fetch(creds.storageUrl + req.path + (req.query ?? ""), {
        method: req.method,
        headers,
        body: req.body,
        signal: req.signal,
      });
    } catch (cause) {
      if (req.signal?.aborted) throw req.signal.reason;
      const reason = redact(cause instanceof Error ? cause.message : String(cause));
      throw new NetworkError(`${req.what} ${req.target} failed: no response from the server (${reason})`, {
        method: req.method,
        path: req.target,
      });
    }
  }
}

/**
 * Throws the typed error for a response that is not 2xx, after reading a short part
 * of its body for the message. `notFound` picks the class for a 404.
 */
export async function throwForStatus(
  res: Response,
  req: SwiftRequest,
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
    { method: req.method, path: req.target, what: req.what, detail },
    notFound,
  );
}

/** Reads a response body as bytes without copying. */
export async function readBytes(res: Response): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await res.arrayBuffer());
}
