/**
 * Typed errors: one class per kind of failure, each carrying the HTTP status, the
 * method and the object path (never a token, key or TempURL signature).
 *
 * | Status        | Class                      |
 * | ------------- | -------------------------- |
 * | 401           | {@link AuthError}          |
 * | 403           | {@link PermissionError}    |
 * | 404 container | {@link ContainerNotFoundError} |
 * | 409           | {@link ConflictError}      |
 * | 412           | {@link PreconditionError}  |
 * | 413           | {@link PayloadTooLargeError} |
 * | 416           | {@link RangeNotSatisfiableError} |
 * | 422           | {@link IntegrityError}     |
 * | 429, 498      | {@link RateLimitError}     |
 * | 5xx           | {@link ServerError}        |
 * | 3xx           | {@link RedirectError}      |
 * | no response   | {@link NetworkError}, {@link TimeoutError} |
 * | broken answer | {@link ProtocolError}      |
 * | other         | {@link SwiftError}         |
 *
 * A missing object is never an error: reads answer `undefined`.
 *
 * @example
 * ```ts
 * import { PermissionError, SwiftError } from "@zarrswift/store";
 * try {
 *   throw new PermissionError("Not allowed", { status: 403, method: "GET", path: "c/o" });
 * } catch (err) {
 *   if (err instanceof SwiftError) console.log(err.status, err.method, err.path);
 * }
 * ```
 * @module
 */

/**
 * What an error is about: the HTTP status (absent when no response came), the
 * request method and the `container/object` path.
 *
 * @example
 * ```ts
 * import type { SwiftErrorDetails } from "@zarrswift/store";
 * const details: SwiftErrorDetails = { status: 404, method: "HEAD", path: "my-container" };
 * ```
 */
export interface SwiftErrorDetails {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The HTTP method of the failed request. */
  method?: string;
  /** The `container/object` path the request was about (never a URL with a signature). */
  path?: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Milliseconds the server asked to wait (`Retry-After`), when it did. */
  retryAfter?: number;
}

/**
 * Base class of every error this library throws about a request.
 *
 * @example
 * ```ts
 * import { SwiftError } from "@zarrswift/store";
 * const err = new SwiftError("Request failed", { status: 400, method: "PUT", path: "c/o" });
 * console.log(err.name, err.status); // "SwiftError" 400
 * ```
 */
export class SwiftError extends Error {
  /** The HTTP status, or `undefined` when no response came. */
  readonly status: number | undefined;
  /** The HTTP method of the failed request. */
  readonly method: string | undefined;
  /** The `container/object` path the request was about. */
  readonly path: string | undefined;
  /** Milliseconds the server asked to wait before a retry (`Retry-After`), when it did. */
  readonly retryAfter: number | undefined;

  /** Creates an error with a message and the request it is about. */
  constructor(message: string, details: SwiftErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.retryAfter = details.retryAfter;
  }
}

/**
 * The server refused the credentials (401), or authentication itself failed.
 *
 * @example
 * ```ts
 * import { AuthError } from "@zarrswift/store";
 * console.log(new AuthError("Token expired", { status: 401 }) instanceof AuthError);
 * ```
 */
export class AuthError extends SwiftError {}

/**
 * Authenticated, but not allowed (403): missing ACL grant or not an admin.
 *
 * @example
 * ```ts
 * import { PermissionError } from "@zarrswift/store";
 * console.log(new PermissionError("Forbidden", { status: 403 }).status); // 403
 * ```
 */
export class PermissionError extends SwiftError {}

/**
 * The container does not exist (404 on a container, or on a write into it).
 *
 * @example
 * ```ts
 * import { ContainerNotFoundError } from "@zarrswift/store";
 * console.log(new ContainerNotFoundError("No container", { status: 404 }).name);
 * ```
 */
export class ContainerNotFoundError extends SwiftError {}

/**
 * The request conflicts with the resource's state (409), e.g. deleting a non-empty
 * container.
 *
 * @example
 * ```ts
 * import { ConflictError } from "@zarrswift/store";
 * console.log(new ConflictError("Not empty", { status: 409 }).status);
 * ```
 */
export class ConflictError extends SwiftError {}

/**
 * A precondition failed (412), e.g. `If-None-Match: *` on an existing object.
 *
 * @example
 * ```ts
 * import { PreconditionError } from "@zarrswift/store";
 * console.log(new PreconditionError("Exists", { status: 412 }).status);
 * ```
 */
export class PreconditionError extends SwiftError {}

/**
 * The body is too large for one object, or a quota is exhausted (413).
 *
 * @example
 * ```ts
 * import { PayloadTooLargeError } from "@zarrswift/store";
 * console.log(new PayloadTooLargeError("Too large", { status: 413 }).status);
 * ```
 */
export class PayloadTooLargeError extends SwiftError {}

/**
 * A byte range starts at or past the end of the object (416).
 *
 * @example
 * ```ts
 * import { RangeNotSatisfiableError } from "@zarrswift/store";
 * console.log(new RangeNotSatisfiableError("Bad range", { status: 416 }).status);
 * ```
 */
export class RangeNotSatisfiableError extends SwiftError {}

/**
 * Bytes were corrupted on the way: Swift refused a body whose MD5 did not match
 * its `ETag` (422), or a downloaded body did not match the server's `ETag`.
 *
 * @example
 * ```ts
 * import { IntegrityError } from "@zarrswift/store";
 * console.log(new IntegrityError("MD5 mismatch", { status: 422 }).status);
 * ```
 */
export class IntegrityError extends SwiftError {}

/**
 * The server asked the client to slow down (429 or 498).
 *
 * @example
 * ```ts
 * import { RateLimitError } from "@zarrswift/store";
 * console.log(new RateLimitError("Slow down", { status: 429 }).status);
 * ```
 */
export class RateLimitError extends SwiftError {}

/**
 * The server failed (5xx).
 *
 * @example
 * ```ts
 * import { ServerError } from "@zarrswift/store";
 * console.log(new ServerError("Unavailable", { status: 503 }).status);
 * ```
 */
export class ServerError extends SwiftError {}

/**
 * No response: connection refused or reset, DNS failure, TLS failure.
 *
 * @example
 * ```ts
 * import { NetworkError } from "@zarrswift/store";
 * console.log(new NetworkError("Connection refused").status); // undefined
 * ```
 */
export class NetworkError extends SwiftError {}

/**
 * No response within the allowed time.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@zarrswift/store";
 * console.log(new TimeoutError("Timed out").name); // "TimeoutError"
 * ```
 */
export class TimeoutError extends SwiftError {}

/**
 * A write (set, delete) was attempted on a store opened with `readOnly: true`.
 *
 * @example
 * ```ts
 * import { ReadOnlyError } from "@zarrswift/store";
 * console.log(new ReadOnlyError("Read-only", { method: "PUT" }).method);
 * ```
 */
export class ReadOnlyError extends SwiftError {}

/**
 * The server answered with a redirect (3xx) where this library does not follow
 * one: a request carrying credentials (a token, or a login's key, password or
 * secret) is never sent on to another URL, and anonymous reads follow at most five
 * hops. The message names the status and the origin the redirect pointed to, never
 * a secret.
 *
 * @example A redirect refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedirectError, SwiftError } from "@zarrswift/store";
 * const err = new RedirectError("Reading object c/k was redirected (302) to https://elsewhere.example.org", { status: 302 });
 * assert.ok(err instanceof SwiftError);
 * assert.equal(err.status, 302);
 * ```
 */
export class RedirectError extends SwiftError {}

/**
 * The server broke the protocol: a listing that is not an array of entries or
 * whose marker does not advance, names outside the prefix asked for, JSON that does
 * not parse, a `206` that is not the range asked for, a body that does not match
 * what its headers declare. Retrying does not help; the answer is never used.
 *
 * @example A broken listing
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolError } from "@zarrswift/store";
 * const err = new ProtocolError("Expected a listing of container c to be a JSON array, found an object", { method: "GET", path: "c" });
 * assert.equal(err.name, "ProtocolError");
 * ```
 */
export class ProtocolError extends SwiftError {}

const STATUS_CLASSES: Record<number, typeof SwiftError> = {
  401: AuthError,
  403: PermissionError,
  409: ConflictError,
  412: PreconditionError,
  413: PayloadTooLargeError,
  416: RangeNotSatisfiableError,
  422: IntegrityError,
  429: RateLimitError,
  498: RateLimitError,
};

const STATUS_HINTS: Record<number, string> = {
  401: "the token is missing, expired or invalid",
  403: "the credentials do not grant this access",
  404: "the container does not exist",
  409: "it conflicts with the current state",
  412: "a precondition failed",
  413: "the object is too large or a quota is exhausted",
  416: "the range starts past the end of the object",
  422: "the body did not match its MD5 ETag",
  429: "the server is rate limiting",
  498: "the server is rate limiting",
};

/**
 * Builds the typed error for an unexpected HTTP status. `what` names the request in
 * words (e.g. "Reading object"); `notFound` picks the class for a 404.
 */
export function errorForStatus(
  status: number,
  statusText: string,
  details: { method: string; path: string; what: string; detail?: string; retryAfter?: number },
  notFound: typeof SwiftError = ContainerNotFoundError,
): SwiftError {
  const Class = status === 404
    ? notFound
    : STATUS_CLASSES[status] ?? (status >= 500 ? ServerError : SwiftError);
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? "the server failed" : undefined);
  const text = `${status}${statusText ? ` ${statusText}` : ""}`;
  const message = `${details.what} ${details.path} failed with ${text}` +
    (hint ? `: ${hint}` : "") + (details.detail ? ` (${details.detail})` : "");
  return new Class(message, {
    status,
    method: details.method,
    path: details.path,
    retryAfter: details.retryAfter,
  });
}
